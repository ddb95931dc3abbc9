// Full-text search over the sharded index that `briefing build` writes into search-index/
// (see docs/search.md and src/output/search/). The manifest is fetched at once; then, as
// the reader types, the one shard per word typed and the few document files of the
// results shown, each result appearing as soon as its file arrives. Results are built
// with DOM methods (never innerHTML), so index text cannot become markup. `fold`,
// `decode` and `shardOf` mirror the Rust side; change both.
(function () {
  "use strict";
  var form = document.querySelector(".search-form");
  if (!form || !window.fetch) return;
  var indexBase = form.getAttribute("data-index");
  var siteBase = form.getAttribute("data-base") || "/";
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var filters = form.querySelector(".search-filters");
  var kindSel = document.getElementById("search-kind");
  var countrySel = document.getElementById("search-country");
  var groupIn = document.getElementById("search-group");
  var groupList = document.getElementById("search-groups");
  // Results shown per kind at first, and added by each "Show more": each costs its
  // document file, so the first results stay small to download.
  var PER_KIND = 5;
  var MORE = 20;
  var DELAY = 40;
  var MAX_WORD = 64;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var i = 0; i < 64; i++) DIGIT[DIGITS.charAt(i)] = i;
  // Score of a word found exactly / as the start of a longer word, by field: title or
  // alias, other fields (summary, tags, place, quote, speaker), body.
  var EXACT = [10, 4, 1];
  var PREFIX = [6, 2.5, 0.6];
  var FUZZY = 5;

  var cache = {};
  var manifest = null;
  var names = null;
  var expanded = {};
  // After "Show more": the kind and index of the first new result, to move focus to.
  var pendingFocus = null;
  var seq = 0;
  var timer = 0;
  var again = false;

  function get(path, text) {
    if (!cache[path]) {
      cache[path] = fetch(indexBase + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return text ? r.text() : r.json();
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  // --- words, as src/render/words.rs folds them ---
  var MARKS = /\p{M}/gu;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;

  function foldText(w) {
    return w.normalize("NFKD").toLowerCase().replace(MARKS, "").normalize("NFC")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0640/g, "").replace(/\u03c2/g, "\u03c3");
  }

  function fold(w) {
    var s = foldText(w);
    var cps = Array.from(s);
    return cps.length > MAX_WORD ? cps.slice(0, MAX_WORD).join("") : s;
  }

  // The words of text, unfolded.
  function split(text) {
    var out = [];
    if (segmenter) {
      for (var seg of segmenter.segment(text)) if (seg.isWordLike) out.push(seg.segment);
    } else {
      out = text.match(/[\p{L}\p{N}\p{M}_]+/gu) || [];
    }
    return out;
  }

  function words(text) {
    return split(text).map(fold).filter(Boolean);
  }

  function shardOf(word, shards, keyLen) {
    var key = Array.from(word).slice(0, keyLen).join("");
    var bytes = new TextEncoder().encode(key);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h & (shards - 1);
  }

  // Calls f(doc) for each document number of an encoded list.
  function decode(s, f) {
    if (!s) return;
    if (s.charAt(0) === "~") {
      for (var c = 1; c < s.length; c++) {
        var bits = DIGIT[s.charAt(c)];
        for (var b = 0; bits; b++, bits >>= 1) if (bits & 1) f((c - 1) * 6 + b);
      }
      return;
    }
    var prev = -1, acc = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charAt(i)];
      acc = acc * 32 + (d & 31);
      if (d < 32) {
        prev += acc;
        f(prev);
        acc = 0;
      }
    }
  }

  // Whether the code points of a from i on equal those of b from j on.
  function tailEq(a, i, b, j) {
    if (a.length - i !== b.length - j) return false;
    for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
    return true;
  }

  // Whether code point arrays a and b differ by at most one edit (insert, delete,
  // substitute, or swap of neighbours).
  function near(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (i === la && i === lb) return true;
    if (la === lb) {
      return tailEq(a, i + 1, b, i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && tailEq(a, i + 2, b, i + 2));
    }
    return la > lb ? tailEq(a, i + 1, b, i) : tailEq(a, i, b, i + 1);
  }

  // --- loading ---
  function loadManifest() {
    return get("manifest.json").then(function (m) {
      if (!manifest) {
        manifest = m;
        fillFilters(m);
      }
      return m;
    });
  }

  // The typo dictionary: each group's names as words of code points. A row's names are
  // folded together and then split (folding keeps word boundaries), half the time of
  // words() on each name: this runs before the first result of a query with a typo.
  function loadNames() {
    return get("names.json").then(function (rows) {
      if (!names) {
        names = rows.map(function (r) {
          var toks = [];
          split(foldText(r.slice(1).join("\n"))).forEach(function (w) { toks.push(Array.from(w).slice(0, MAX_WORD)); });
          return { doc: +r[0], title: r[1], toks: toks };
        });
      }
      return names;
    });
  }

  // The group filter's choices, once it is used.
  function fillGroups() {
    return loadNames().then(function () {
      if (groupList.firstChild) return;
      var list = document.createDocumentFragment();
      names.forEach(function (g) {
        var o = document.createElement("option");
        o.value = g.title;
        list.appendChild(o);
      });
      groupList.appendChild(list);
    });
  }

  function fillFilters(m) {
    m.kinds.forEach(function (k) {
      var o = document.createElement("option");
      o.value = k.k;
      o.textContent = k.label + " (" + (k.to - k.from) + ")";
      kindSel.appendChild(o);
    });
    var order = window.Intl && Intl.Collator ? new Intl.Collator() : null;
    m.countries.slice().sort(function (a, b) { return order ? order.compare(a.name, b.name) : a.name < b.name ? -1 : 1; }).forEach(function (c) {
      var o = document.createElement("option");
      o.value = c.c;
      o.textContent = c.name + " (" + c.n + ")";
      countrySel.appendChild(o);
    });
    var params = new URLSearchParams(window.location.search);
    kindSel.value = params.get("kind") || "";
    countrySel.value = params.get("country") || "";
  }

  // --- searching ---
  // Per query word: a Float32Array of its best score in each document.
  function scoreWord(m, word, prefix) {
    var shard = shardOf(word, m.shards, m.key);
    return get("shards/" + shard + ".json").then(function (terms) {
      var score = new Float32Array(m.n);
      var any = false;
      function add(lists, weights) {
        for (var f = 0; f < 3; f++) {
          var w = weights[f];
          decode(lists[f], function (d) { if (score[d] < w) score[d] = w; });
          if (lists[f]) any = true;
        }
      }
      if (terms[word]) add(terms[word], EXACT);
      if (prefix && Array.from(word).length >= m.key) {
        for (var t in terms) if (t !== word && t.lastIndexOf(word, 0) === 0) add(terms[t], PREFIX);
      }
      return { word: word, score: score, any: any };
    });
  }

  // Group documents whose names are one typo away from `word`; whether any score rose.
  function fuzzy(word, score) {
    var cps = Array.from(word);
    var rose = false;
    if (!names || cps.length < 4) return rose;
    names.forEach(function (g) {
      for (var i = 0; i < g.toks.length; i++) {
        if (near(cps, g.toks[i])) {
          if (score[g.doc] < FUZZY) {
            score[g.doc] = FUZZY;
            rose = true;
          }
          return;
        }
      }
    });
    return rose;
  }

  function allowed(m) {
    var kind = kindSel.value, country = countrySel.value, group = groupIn.value.trim();
    var parts = [];
    if (country) parts.push(get("country/" + country + ".txt", true));
    var gdoc = null;
    if (group) {
      parts.push(loadNames().then(function () {
        var g = names.filter(function (x) { return x.title === group; })[0];
        gdoc = g ? g.doc : -1;
        return gdoc >= 0 ? get("group/" + gdoc + ".txt", true) : "";
      }));
    }
    return Promise.all(parts).then(function (lists) {
      if (!kind && !lists.length) return null;
      var ok = new Uint8Array(m.n);
      var need = lists.length;
      lists.forEach(function (l) { decode(l, function (d) { ok[d]++; }); });
      var range = kind ? m.kinds.filter(function (k) { return k.k === kind; })[0] : null;
      for (var d = 0; d < m.n; d++) {
        ok[d] = ok[d] === need && (!range || (d >= range.from && d < range.to)) ? 1 : 0;
      }
      return ok;
    });
  }

  function search(q) {
    var my = ++seq;
    var terms = words(q);
    var uniq = [];
    terms.forEach(function (t) { if (uniq.indexOf(t) < 0) uniq.push(t); });
    var prefixLast = !/\s$/.test(q);
    var filtered = kindSel.value || countrySel.value || groupIn.value.trim();
    if (!uniq.length && !filtered) {
      show(my, q, null, []);
      return Promise.resolve();
    }
    return loadManifest().then(function (m) {
      var scored = uniq.map(function (t, i) { return scoreWord(m, t, prefixLast && i === uniq.length - 1); });
      return Promise.all([Promise.all(scored), allowed(m)]).then(function (got) {
        if (my !== seq) return;
        var per = got[0], ok = got[1];
        var missing = per.some(function (p) { return !p.any; });
        var typo = per.some(function (p) { return Array.from(p.word).length >= 4; });
        if (!names && typo && missing) {
          // A word matches nothing: it may be a typo in a group's name.
          return loadNames().then(function () { return search(q); });
        }
        if (names) per.forEach(function (p) { fuzzy(p.word, p.score); });
        // Per kind: how many documents match, and the best ones shown (score, then
        // listing order); no sort of every match, which costs most with a common word.
        var groups = [];
        m.kinds.forEach(function (k) {
          var want = expanded[k.k] || PER_KIND;
          var top = [], count = 0;
          for (var d = k.from; d < k.to; d++) {
            if (ok && !ok[d]) continue;
            var total = per.length ? 0 : 1;
            for (var i = 0; i < per.length; i++) {
              var s = per[i].score[d];
              if (!s) { total = 0; break; }
              total += s;
            }
            if (!total) continue;
            count++;
            if (top.length === want && total <= top[want - 1][0]) continue;
            var at = top.length;
            while (at > 0 && top[at - 1][0] < total) at--;
            top.splice(at, 0, [total, d]);
            if (top.length > want) top.pop();
          }
          if (count) groups.push({ kind: k, count: count, best: top[0], show: top.map(function (t) { return t[1]; }) });
        });
        // The kind with the best result first.
        groups.sort(function (a, b) { return b.best[0] - a.best[0] || a.best[1] - b.best[1]; });
        return show(my, q, m, groups).then(function () {
          // The typo dictionary comes after the first results, for the next query; this
          // one is searched again only if a group one typo away is not among them yet.
          if (!names && typo) {
            loadNames().then(function () {
              var rose = false;
              per.forEach(function (p) { if (fuzzy(p.word, p.score)) rose = true; });
              if (my === seq && rose) search(q);
            });
          }
        });
      });
    }).catch(function () {
      if (my !== seq) return;
      results.removeAttribute("aria-busy");
      status.textContent = "The search index could not be loaded.";
    });
  }

  // The document files of `ids`, in the order of the first result each holds (so the
  // top result's file is asked for first); calls got(recs) as each arrives, with the
  // records of every file received so far, and resolves with them when all have.
  function docs(m, ids, got) {
    var keys = [];
    ids.forEach(function (d) {
      var c = Math.floor(d / m.chunk);
      if (keys.indexOf(c) < 0) keys.push(c);
    });
    var recs = {};
    return Promise.all(keys.map(function (c) {
      return get("docs/" + c + ".json").then(function (file) {
        file.forEach(function (rec, j) { recs[c * m.chunk + j] = rec; });
        got(recs);
      });
    })).then(function () { return recs; });
  }

  // Results appear as their document files arrive, each as soon as every result above it
  // is there too, so none moves once shown; the count is announced with the first.
  function show(my, q, m, groups) {
    if (!m) {
      clear(results);
      results.setAttribute("data-query", q);
      results.removeAttribute("aria-busy");
      status.textContent = "";
      return Promise.resolve();
    }
    var count = 0;
    // The results shown, in the order they are on the page: [group, document].
    var order = [];
    groups.forEach(function (g) {
      count += g.count;
      g.show.forEach(function (d) { order.push([g, d]); });
    });
    var next = 0;
    var started = false;
    function start() {
      if (started) return;
      started = true;
      clear(results);
      // Which query the results are for (benchmarks and tests wait for it).
      results.setAttribute("data-query", q);
      var counts = groups.map(function (g) { return g.count + " " + (g.count === 1 ? g.kind.label.replace(/s$/, "").toLowerCase() : g.kind.label.toLowerCase()); });
      status.textContent = count === 0
        ? "No results" + (q.trim() ? " for \u201c" + q.trim() + "\u201d" : "") + "."
        : count + (count === 1 ? " result" : " results") + ": " + counts.join(", ") + ".";
    }
    // Shows the results from `next` on whose records are in, up to the first that is not
    // (at the end, all: a record missing from its file is left out, not waited for).
    function grow(recs, end) {
      if (my !== seq) return;
      if (!end && next < order.length && !recs[order[next][1]]) return;
      start();
      results.setAttribute("aria-busy", "true");
      for (; next < order.length && (end || recs[order[next][1]]); next++) {
        var g = order[next][0];
        if (!g.ol) results.appendChild(section(g));
        if (recs[order[next][1]]) g.ol.appendChild(hit(recs[order[next][1]]));
      }
      if (pendingFocus) {
        var links = results.querySelectorAll(".kind-" + pendingFocus[0] + " .search-title a");
        if (links[pendingFocus[1]]) {
          links[pendingFocus[1]].focus();
          pendingFocus = null;
        }
      }
      if (next === order.length) results.removeAttribute("aria-busy");
    }
    return docs(m, order.map(function (o) { return o[1]; }), grow).then(function (recs) {
      grow(recs, true);
      if (my === seq) pendingFocus = null;
    });
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function badge(cls, hidden, label, strong) {
    var b = el(strong ? "strong" : "span", "badge " + cls);
    if (strong) b.appendChild(el("span", null, "\u26a0 ")).setAttribute("aria-hidden", "true");
    b.appendChild(el("span", "visually-hidden", hidden));
    b.appendChild(document.createTextNode(label));
    return b;
  }

  // A kind's section, with its heading, its (empty) list as g.ol and its "Show more".
  function section(g) {
    var sec = el("section", "search-group kind-" + g.kind.k);
    var id = "search-group-" + g.kind.k;
    var h = el("h2", null, g.kind.label + " ");
    h.id = id;
    h.appendChild(el("span", "muted", "(" + g.count + ")"));
    sec.setAttribute("aria-labelledby", id);
    sec.appendChild(h);
    g.ol = el("ol", "search-hits");
    sec.appendChild(g.ol);
    if (g.show.length < g.count) {
      var next = Math.min(MORE, g.count - g.show.length);
      var more = el("button", "search-more", "Show " + next + " more " + g.kind.label.toLowerCase() + " (of " + g.count + ")");
      more.type = "button";
      more.addEventListener("click", function () {
        expanded[g.kind.k] = g.show.length + next;
        pendingFocus = [g.kind.k, g.show.length];
        search(input.value);
      });
      sec.appendChild(more);
    }
    return sec;
  }

  function hit(r) {
    var li = el("li", "search-hit kind-" + r.k);
    var title = el("p", "search-title");
    var a = el("a", null, r.t);
    a.setAttribute("href", siteBase + r.u);
    title.appendChild(a);
    li.appendChild(title);
    var meta = el("p", "card-meta");
    var parts = [];
    if (r.d) {
      var t = el("time", null, r.d[1]);
      t.setAttribute("datetime", r.d[0]);
      parts.push(t);
    }
    if (r.p) parts.push(document.createTextNode(r.p));
    if (r.st && !r.fa) parts.push(badge("stance stance-" + r.st[1], "Stance: ", r.st[0]));
    if (r.v) {
      var bad = r.v[1] === "fabricated" || r.v[1] === "false";
      parts.push(badge("verif verif-" + r.v[1], "Verification: ", r.v[0], bad));
    }
    parts.forEach(function (p, i) {
      if (i) meta.appendChild(document.createTextNode(" \u00b7 "));
      meta.appendChild(p);
    });
    if (parts.length) li.appendChild(meta);
    if (r.fa) li.appendChild(el("p", "search-falsely", "Falsely attributed to " + r.fa + " (not their words)"));
    else if (r.by) li.appendChild(el("p", "search-by", "By " + r.by));
    if (r.a && r.a.length) li.appendChild(el("p", "muted", "Also known as " + r.a.join(", ")));
    if (r.s) li.appendChild(el("p", "search-summary", r.s));
    return li;
  }

  // --- wiring ---
  function remember() {
    var url = new URL(window.location.href);
    [["q", input.value], ["kind", kindSel.value], ["country", countrySel.value], ["group", groupIn.value.trim()]].forEach(function (p) {
      if (p[1]) url.searchParams.set(p[0], p[1]); else url.searchParams.delete(p[0]);
    });
    window.history.replaceState(null, "", url);
  }

  // A change searches at once; changes during the next DELAY ms are gathered into one
  // search at its end, so a fast typist does not start a search per key.
  function soon() {
    if (timer) {
      again = true;
      return;
    }
    expanded = {};
    remember();
    search(input.value);
    timer = window.setTimeout(function () {
      timer = 0;
      if (again) {
        again = false;
        soon();
      }
    }, DELAY);
  }

  filters.hidden = false;
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  if (params.get("group")) {
    groupIn.value = params.get("group");
    fillGroups().catch(function () {});
  }
  if (params.get("q") || params.get("kind") || params.get("country") || params.get("group")) {
    loadManifest().then(function () { search(input.value); });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    remember();
    search(input.value);
  });
  input.addEventListener("input", soon);
  // The manifest is small (about 3 KB) and every query needs it first: fetch it now (and
  // again on focus if that failed).
  // The first use of the word segmenter loads its rules: done here too, not on a key.
  function early() {
    loadManifest().catch(function () {});
    words("a b");
  }
  input.addEventListener("focus", early);
  early();
  kindSel.addEventListener("change", soon);
  countrySel.addEventListener("change", soon);
  groupIn.addEventListener("change", soon);
  groupIn.addEventListener("focus", function () { fillGroups().catch(function () {}); });
  kindSel.addEventListener("focus", function () { loadManifest(); });
  countrySel.addEventListener("focus", function () { loadManifest(); });
})();
