/* Kreativorte im Grünen – only on the generated static site (added by build_frontend).
 * 1. Filter forms: a static host ignores query strings, so a filter choice goes to the
 *    page built for it (/orte/schlagwort=coworking/, the same mapping as staticsite/urlmap.py)
 *    when it exists, else to /suche/ where search.js filters the prebuilt index. Every
 *    region and field combination of /veranstaltungen/ is prebuilt (its days need the
 *    application server: the build leaves them out of the form); else its unfiltered list.
 * 2. The application form posts to the application server; it needs a fresh signed token
 *    from there (GET …/mitmachen/token, CORS for this site's origin).
 *    Its message comes from the form's data-text-unreachable (applications/form.html,
 *    translated by the page's template); German if it is missing.
 * No cookies, no third parties. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var SEGMENTS = [
    ["region", "region"], ["place", "ort"], ["category", "themenfeld"], ["tag", "schlagwort"],
    ["offer", "angebot"], ["status", "status"], ["municipality", "gemeinde"],
    ["q", "suche"], ["page", "seite"]
  ];

  function collect(form) {
    var values = {};
    new FormData(form).forEach(function (value, key) {
      value = String(value).trim();
      if (!value) { return; }
      var parts = (key === "q" || key === "municipality") ? [value] : value.split(",");
      parts.forEach(function (part) {
        part = part.trim();
        if (!part) { return; }
        values[key] = values[key] || [];
        if (values[key].indexOf(part) < 0) { values[key].push(part); }
      });
    });
    return values;
  }

  function disk(value) { return value.replace(/%/g, "%25").replace(/\//g, "%2F"); }

  function staticPath(action, values) {
    var path = action;
    SEGMENTS.forEach(function (pair) {
      var list = values[pair[0]];
      if (list && list.length) {
        path += pair[1] + "=" + encodeURIComponent(disk(list.slice().sort().join(","))) + "/";
      }
    });
    return path;
  }

  function searchUrl(action, values) {
    var params = new URLSearchParams();
    var rest = action.indexOf(base) === 0 ? action.slice(base.length) : "";
    var region = rest.split("/")[0];
    if (region && region !== "orte" && !values.region) { params.append("region", region); }
    Object.keys(values).forEach(function (key) {
      values[key].forEach(function (value) { params.append(key, value); });
    });
    return base + "suche/?" + params.toString();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(form.getAttribute("action"), window.location.href);
      var action = url.pathname;
      var values = collect(form);
      var target = staticPath(action, values) + url.hash;  // #ergebnisse: jump to the list
      var events = /\/veranstaltungen\/$/.test(action);
      var fallback = events ? action + url.hash : searchUrl(action, values);
      if (values.q && !events) {
        window.location.href = fallback;
        return;
      }
      fetch(target, { method: "HEAD" }).then(function (response) {
        window.location.href = response.ok ? target : fallback;
      }).catch(function () { window.location.href = fallback; });
    });
  });

  var form = document.querySelector("form[data-token-url]");
  if (form) {
    var input = form.querySelector('input[name="token"]');
    var status = document.createElement("p");
    status.className = "app-hint";
    status.setAttribute("role", "status");
    form.insertBefore(status, form.firstChild);
    var refresh = function () {
      fetch(form.getAttribute("data-token-url"), { mode: "cors", credentials: "omit", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (data) {
          input.value = data.token;
          status.textContent = "";
          form.setAttribute("data-token-ready", "");
          var age = Number(data.max_age_seconds) || 3600;
          window.setTimeout(refresh, Math.max(60, age / 2) * 1000);
        })
        .catch(function () {
          status.textContent = form.getAttribute("data-text-unreachable") ||
            "Das Formular ist gerade nicht erreichbar. Sie können es trotzdem absenden; " +
            "falls es dann abgelaufen ist, senden Sie es auf der folgenden Seite einfach erneut ab.";
        });
    };
    refresh();
  }
}());
