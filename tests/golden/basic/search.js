// Full-text search over the sharded index that `briefing build` writes into search-index/
// (see docs/search.md and src/output/search/). Nothing is loaded until the reader types:
// then the manifest, the one shard per word typed, and the few document files of the
// results shown. Results are built with DOM methods (never innerHTML), so index text
// cannot become markup. `fold`, `decode` and `shardOf` mirror the Rust side; change both.
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

  // --- words, as src/output/search/tokens.rs folds them ---
  var MARKS = /\p{M}/gu;
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;

  function fold(w) {
    var s = w.normalize("NFKD").toLowerCase().replace(MARKS, "").normalize("NFC")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627").replace(/\u0640/g, "").replace(/\u03c2/g, "\u03c3");
    var cps = Array.from(s);
    return cps.length > MAX_WORD ? cps.slice(0, MAX_WORD).join("") : s;
  }

  function words(text) {
    var out = [];
    if (segmenter) {
      for (var seg of segmenter.segment(text)) if (seg.isWordLike) out.push(seg.segment);
    } else {
      out = text.match(/[\p{L}\p{N}\p{M}_]+/gu) || [];
    }
    return out.map(fold).filter(Boolean);
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

  function loadNames() {
    return get("names.json").then(function (rows) {
      if (!names) {
        names = rows.map(function (r) {
          var toks = [];
          r.slice(1).forEach(function (n) {
            words(n).forEach(function (w) { toks.push(Array.from(w)); });
          });
          return { doc: +r[0], title: r[1], toks: toks };
        });
        names.forEach(function (g) {
          var o = document.createElement("option");
          o.value = g.title;
          groupList.appendChild(o);
        });
      }
      return names;
    });
  }

  function fillFilters(m) {
    m.kinds.forEach(function (k) {
      var o = document.createElement("option");
      o.value = k.k;
      o.textContent = k.label + " (" + (k.to - k.from) + ")";
      kindSel.appendChild(o);
    });
    m.countries.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (c) {
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

  // Group documents whose names are one typo away from `word`.
  function fuzzy(word, score) {
    var cps = Array.from(word);
    if (!names || cps.length < 4) return;
    names.forEach(function (g) {
      for (var i = 0; i < g.toks.length; i++) {
        if (near(cps, g.toks[i])) {
          if (score[g.doc] < FUZZY) score[g.doc] = FUZZY;
          return;
        }
      }
    });
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
        var hits = [];
        for (var d = 0; d < m.n; d++) {
          if (ok && !ok[d]) continue;
          var total = 0;
          for (var i = 0; i < per.length; i++) {
            var s = per[i].score[d];
            if (!s) { total = 0; break; }
            total += s;
          }
          if (!per.length) total = 1;
          if (total > 0) hits.push([total, d]);
        }
        hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        return show(my, q, m, hits).then(function () {
          // The typo dictionary comes after the first results, for the next query.
          if (!names && typo) loadNames().then(function () { if (my === seq && per.length) search(q); });
        });
      });
    }).catch(function () {
      if (my === seq) status.textContent = "The search index could not be loaded.";
    });
  }

  function kindOf(m, d) {
    for (var i = 0; i < m.kinds.length; i++) if (d >= m.kinds[i].from && d < m.kinds[i].to) return m.kinds[i];
    return null;
  }

  function docs(m, ids) {
    var chunks = {};
    ids.forEach(function (d) { chunks[Math.floor(d / m.chunk)] = 1; });
    var keys = Object.keys(chunks);
    return Promise.all(keys.map(function (c) { return get("docs/" + c + ".json"); })).then(function (files) {
      var out = {};
      keys.forEach(function (c, i) {
        files[i].forEach(function (rec, j) { out[c * m.chunk + j] = rec; });
      });
      return out;
    });
  }

  function show(my, q, m, hits) {
    if (!m) {
      clear(results);
      results.setAttribute("data-query", q);
      status.textContent = "";
      return Promise.resolve();
    }
    // Groups of results by kind, the kind with the best result first.
    var groups = [];
    var byKind = {};
    hits.forEach(function (h) {
      var k = kindOf(m, h[1]);
      if (!byKind[k.k]) {
        byKind[k.k] = { kind: k, hits: [] };
        groups.push(byKind[k.k]);
      }
      byKind[k.k].hits.push(h[1]);
    });
    var shown = [];
    groups.forEach(function (g) {
      g.show = g.hits.slice(0, expanded[g.kind.k] || PER_KIND);
      shown = shown.concat(g.show);
    });
    return docs(m, shown).then(function (recs) {
      if (my !== seq) return;
      clear(results);
      groups.forEach(function (g) { results.appendChild(section(g, recs, q)); });
      // Which query the results are for (benchmarks and tests wait for it).
      results.setAttribute("data-query", q);
      if (pendingFocus) {
        var links = results.querySelectorAll(".kind-" + pendingFocus[0] + " .search-title a");
        if (links[pendingFocus[1]]) links[pendingFocus[1]].focus();
        pendingFocus = null;
      }
      var counts = groups.map(function (g) { return g.hits.length + " " + (g.hits.length === 1 ? g.kind.label.replace(/s$/, "").toLowerCase() : g.kind.label.toLowerCase()); });
      status.textContent = hits.length === 0
        ? "No results" + (q.trim() ? " for \u201c" + q.trim() + "\u201d" : "") + "."
        : hits.length + (hits.length === 1 ? " result" : " results") + ": " + counts.join(", ") + ".";
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

  function section(g, recs, q) {
    var sec = el("section", "search-group kind-" + g.kind.k);
    var id = "search-group-" + g.kind.k;
    var h = el("h2", null, g.kind.label + " ");
    h.id = id;
    h.appendChild(el("span", "muted", "(" + g.hits.length + ")"));
    sec.setAttribute("aria-labelledby", id);
    sec.appendChild(h);
    var ol = el("ol", "search-hits");
    g.show.forEach(function (d) { if (recs[d]) ol.appendChild(hit(recs[d])); });
    sec.appendChild(ol);
    if (g.show.length < g.hits.length) {
      var next = Math.min(MORE, g.hits.length - g.show.length);
      var more = el("button", "search-more", "Show " + next + " more " + g.kind.label.toLowerCase() + " (of " + g.hits.length + ")");
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

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      expanded = {};
      remember();
      search(input.value);
    }, DELAY);
  }

  filters.hidden = false;
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  if (params.get("group")) groupIn.value = params.get("group");
  if (params.get("q") || params.get("kind") || params.get("country") || params.get("group")) {
    loadManifest().then(function () { search(input.value); });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    remember();
    search(input.value);
  });
  input.addEventListener("input", soon);
  // The manifest is small (about 1 KB): fetch it when the reader is about to type.
  input.addEventListener("focus", function () { loadManifest().catch(function () {}); });
  kindSel.addEventListener("change", soon);
  countrySel.addEventListener("change", soon);
  groupIn.addEventListener("change", soon);
  groupIn.addEventListener("focus", function () { loadNames(); });
  kindSel.addEventListener("focus", function () { loadManifest(); });
  countrySel.addEventListener("focus", function () { loadManifest(); });
})();
