/* Kreativorte im Grünen – search and filters on the generated static site, which has no
 * server: /suche/?q=…&category=… is answered from the prebuilt index (suche/index.json).
 * Matching: every word of the query must start a word of the place's title, teaser,
 * municipality, former use, fields, tags or region, or (from three letters) be inside one at
 * half the weight; umlauts fold as on the live site (places/search.py: ü and ue are one,
 * ß and ss, accents dropped). No stemming and no typos, unlike the live site.
 * Its words come from the search form's data-text-* attributes (places/search.html,
 * translated by the page's template; {count}, {query} and {link} are filled in here);
 * German if one is missing. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var params = new URLSearchParams(window.location.search);
  var FILTERS = ["region", "category", "tag", "offer", "status", "municipality"];

  function list(name) {
    var out = [];
    params.getAll(name).forEach(function (raw) {
      var parts = name === "municipality" ? [raw] : raw.split(",");
      parts.forEach(function (part) { part = part.trim(); if (part) { out.push(part); } });
    });
    return out;
  }
  function norm(text) {
    return String(text || "").normalize("NFC").toLowerCase().replace(/ä/g, "ae")
      .replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss").normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "");
  }
  function words(text) { return norm(text).split(/[^a-z0-9]+/).filter(Boolean); }

  var query = (params.get("q") || "").trim().slice(0, 200);
  var terms = words(query).filter(function (term) { return term.length > 1; });
  var filters = {};
  FILTERS.forEach(function (name) { var v = list(name); if (v.length) { filters[name] = v; } });
  if (!terms.length && !Object.keys(filters).length) { return; }

  var main = document.getElementById("inhalt");
  var form = main && main.querySelector("form.search-form");
  if (!form) { return; }
  var texts = form.dataset;
  function text(key, german) { return texts[key] || german; }
  var input = form.querySelector('input[name="q"]');
  if (input) { input.value = query; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function any(values, wanted) {
    return wanted.some(function (w) { return values.indexOf(w) >= 0; });
  }
  function matchesFilters(place) {
    if (filters.region && filters.region.indexOf(place.r) < 0) { return false; }
    if (filters.category && !any(place.c.map(function (c) { return c[0]; }), filters.category)) { return false; }
    if (filters.tag && !any(place.g.map(function (t) { return t[0]; }), filters.tag)) { return false; }
    if (filters.offer && !any(place.o, filters.offer)) { return false; }
    if (filters.status && filters.status.indexOf(place.s) < 0) { return false; }
    if (filters.municipality && filters.municipality.indexOf(place.m) < 0) { return false; }
    return true;
  }
  function score(fields) {
    if (!terms.length) { return 1; }
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var best = 0;
      for (var f = 0; f < fields.length; f++) {
        var at = fields[f][0].reduce(function (found, w) {
          var index = w.indexOf(terms[i]);
          return index === 0 ? 0 : (index > 0 && terms[i].length > 2 && found < 0 ? 1 : found);
        }, -1);
        if (at === 0) { best = Math.max(best, fields[f][1]); }
        if (at === 1) { best = Math.max(best, fields[f][1] / 2); }
      }
      if (!best) { return 0; }
      total += best;
    }
    return total;
  }

  fetch(base + "suche/index.json").then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (index) {
    var hits = [];
    index.places.forEach(function (place) {
      if (!matchesFilters(place)) { return; }
      var s = score([
        [words(place.t), 4],
        [words(place.g.map(function (t) { return t[1]; }).join(" ")), 3],
        [words(place.c.map(function (c) { return c[1]; }).join(" ") + " " + place.m + " " + place.rn), 2],
        [words(place.x + " " + place.f), 1]
      ]);
      if (s) { hits.push([s, place]); }
    });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].t < b[1].t ? -1 : 1); });

    Array.prototype.forEach.call(main.querySelectorAll("form.search-form ~ *"), function (node) {
      node.remove();
    });
    var section = el("section", "results");
    section.setAttribute("aria-labelledby", "treffer");
    var one = hits.length === 1;
    var title = query
      ? (one ? text("textHitFor", "{count} Ort für „{query}“") : text("textHitsFor", "{count} Orte für „{query}“"))
      : (one ? text("textHit", "{count} Ort") : text("textHits", "{count} Orte"));
    // One pass, so that a query holding "{count}" stays as typed.
    var heading = el("h2", null, title.replace(/\{(count|query)\}/g, function (match, name) {
      return name === "count" ? String(hits.length) : query;
    }));
    heading.id = "treffer";
    section.appendChild(heading);
    if (hits.length) {
      var ol = el("ol", "search-results");
      hits.forEach(function (hit) {
        var place = hit[1];
        var li = el("li");
        var h3 = el("h3");
        var link = el("a", null, place.t);
        link.href = place.u;
        h3.appendChild(link);
        li.appendChild(h3);
        if (place.s === "im-aufbau") {
          li.appendChild(el("p", "badge", text("textUnderConstruction", "im Aufbau")));
        }
        li.appendChild(el("p", null, place.x));
        li.appendChild(el("p", "meta", [place.m].concat(place.c.map(function (c) { return c[1]; })).join(" · ")));
        ol.appendChild(li);
      });
      section.appendChild(ol);
    } else {
      var parts = text("textNone", "Dazu haben wir keinen Ort gefunden. Versuchen Sie ein anderes " +
        "oder kürzeres Wort, oder sehen Sie sich {link} an.").split("{link}");
      var none = el("p", null, parts[0]);
      var all = el("a", null, text("textAllPlaces", "alle Orte"));
      all.href = base + "orte/";
      none.appendChild(all);
      none.appendChild(document.createTextNode(parts.slice(1).join("")));
      section.appendChild(none);
    }
    main.appendChild(section);
    if (terms.length) {
      var pages = index.pages.filter(function (page) { return score([[words(page.t + " " + page.x), 1]]); });
      if (pages.length) {
        var other = el("section");
        other.setAttribute("aria-labelledby", "weitere-treffer");
        var h2 = el("h2", null, text("textOtherPages", "Weitere Seiten"));
        h2.id = "weitere-treffer";
        other.appendChild(h2);
        var ul = el("ul");
        pages.forEach(function (page) {
          var li = el("li");
          var a = el("a", null, page.t);
          a.href = page.u;
          li.appendChild(a);
          ul.appendChild(li);
        });
        other.appendChild(ul);
        main.appendChild(other);
      }
    }
  }).catch(function () {
    main.appendChild(el("p", null, text("textFailed",
      "Die Suche konnte nicht geladen werden. Bitte versuchen Sie es später erneut.")));
  });
}());
