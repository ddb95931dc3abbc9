// Client-side search over search-index.json, written by `briefing build`.
// Entries: t title, u url, k kind, s summary, a aliases, g tags, d date (ISO).
// Results are built with DOM methods (never innerHTML), so index text cannot inject markup.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form) return;
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = null;
  var LIMIT = 100;

  function norm(s) {
    return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function score(entry, terms) {
    var title = norm(entry.t);
    var aliases = norm((entry.a || []).join(" "));
    var tags = norm((entry.g || []).join(" "));
    var summary = norm(entry.s);
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      var s = 0;
      if (title.indexOf(t) >= 0) s += 10;
      if (aliases.indexOf(t) >= 0) s += 8;
      if (tags.indexOf(t) >= 0) s += 4;
      if (summary.indexOf(t) >= 0) s += 2;
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  function render(q) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var terms = norm(q).split(/\s+/).filter(Boolean);
    if (!terms.length) {
      status.textContent = "";
      return;
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], terms);
      if (s > 0) hits.push([s, index[i]]);
    }
    hits.sort(function (a, b) {
      return b[0] - a[0] || (b[1].d || "").localeCompare(a[1].d || "") || a[1].t.localeCompare(b[1].t);
    });
    status.textContent = hits.length === 0 ? "No results for \u201c" + q + "\u201d."
      : hits.length + (hits.length === 1 ? " result" : " results") +
        (hits.length > LIMIT ? ", showing the first " + LIMIT : "") + ".";
    hits.slice(0, LIMIT).forEach(function (hit) {
      var e = hit[1];
      var li = document.createElement("li");
      li.className = "search-hit kind-" + e.k;
      var meta = document.createElement("p");
      meta.className = "card-meta";
      meta.textContent = e.k.charAt(0).toUpperCase() + e.k.slice(1) + (e.d ? " \u00b7 " + e.d : "");
      var a = document.createElement("a");
      a.href = e.u;
      a.textContent = e.t;
      var h = document.createElement("p");
      h.className = "search-title";
      h.appendChild(a);
      li.appendChild(meta);
      li.appendChild(h);
      if (e.s) {
        var p = document.createElement("p");
        p.textContent = e.s;
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }

  function run() {
    var q = input.value;
    if (index) {
      render(q);
      return;
    }
    status.textContent = "Loading the index\u2026";
    fetch(form.getAttribute("data-index"))
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (data) {
        index = data;
        render(input.value);
      })
      .catch(function () {
        status.textContent = "The search index could not be loaded.";
      });
  }

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) {
    input.value = params.get("q");
    run();
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run();
  });
  input.addEventListener("input", function () {
    if (index) render(input.value);
  });
})();
