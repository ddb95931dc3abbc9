(function () {
  "use strict";
  var KEY = "briefing-serve-scroll";
  var server = null, build = null, overlay = null;

  window.addEventListener("load", function () {
    try {
      var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
      if (saved && saved.path === location.pathname) window.scrollTo(saved.x, saved.y);
    } catch (e) {}
  });

  function reload() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  }

  function el(tag, text, css) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (css) e.style.cssText = css;
    return e;
  }

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function where(d) {
    if (!d.file) return "";
    var s = d.file;
    if (d.line) s += ":" + d.line + (d.column ? ":" + d.column : "");
    return s;
  }

  function show(status) {
    hide();
    var list = status.diagnostics || [];
    var errors = list.filter(function (d) { return d.severity === "error"; }).length;
    overlay = el("div", null,
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);" +
      "color:#f5f5f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem;");
    overlay.id = "briefing-serve-overlay";
    overlay.setAttribute("role", "alert");
    var close = el("button", "Dismiss", "float:right;font:inherit;padding:.3rem .8rem;cursor:pointer;");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss the build errors");
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    overlay.appendChild(el("h2", "The site does not build: " + errors + " error" + (errors === 1 ? "" : "s") +
      " (the last good version is shown)", "margin:0 0 1rem;font-size:1.2rem;color:#ff8a80;"));
    var ul = el("ul", null, "list-style:none;margin:0;padding:0;");
    list.forEach(function (d) {
      var li = el("li", null, "margin:0 0 1rem;padding:.6rem .8rem;border-left:4px solid " +
        (d.severity === "error" ? "#ff5252" : "#ffd740") + ";background:rgba(255,255,255,.05);");
      var head = el("div");
      var loc = where(d);
      if (loc) head.appendChild(el("strong", loc + " "));
      head.appendChild(el("span", d.severity + "[" + d.code + "]: "));
      head.appendChild(el("span", d.message));
      li.appendChild(head);
      if (d.help) li.appendChild(el("div", "help: " + d.help, "color:#b9f6ca;"));
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    document.body.appendChild(overlay);
    close.focus();
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });

  var source = new EventSource("/__briefing/events");
  source.addEventListener("state", function (e) {
    var s = JSON.parse(e.data);
    // Reconnected to a new server, or a build ended while the stream was down.
    if (server !== null && (s.server !== server || s.build !== build) && s.ok) { reload(); return; }
    server = s.server; build = s.build;
    if (!s.ok && s.build > 0) show(s); else hide();
  });
  source.addEventListener("reload", function (e) { build = JSON.parse(e.data).build; reload(); });
  // Only stylesheets changed: load each again in place, keeping the page and its scroll.
  source.addEventListener("css", function (e) {
    build = JSON.parse(e.data).build;
    hide();
    var stamp = "briefing-reload=" + Date.now();
    Array.prototype.forEach.call(document.querySelectorAll('link[rel~="stylesheet"]'), function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      url.searchParams.delete("briefing-reload");
      var next = link.cloneNode();
      next.href = url.pathname + (url.search ? url.search + "&" : "?") + stamp;
      next.addEventListener("load", function () { link.remove(); });
      next.addEventListener("error", function () { next.remove(); });
      link.after(next);
    });
  });
  source.addEventListener("failed", function (e) {
    var s = JSON.parse(e.data);
    build = s.build;
    show(s);
  });
})();
