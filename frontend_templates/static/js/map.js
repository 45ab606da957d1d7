/* Kreativorte im Grünen – maps behind a two-click consent.
 * Nothing map-related loads before the visitor clicks "Karte laden": not Leaflet, not the
 * markers, not a single tile. The consent is remembered for this visit in sessionStorage
 * (no cookie). Without JavaScript, or when loading fails, the list of places still works.
 * Its words come from the map box's data-text-* attributes (includes/map.html, translated by
 * the page's template; counts as {count}) and the copy button's data-text-copied; German if
 * one is missing. */
(function () {
  "use strict";
  var CONSENT_KEY = "kreativorte-karte";
  var loading = null;

  function remembered() {
    try { return window.sessionStorage.getItem(CONSENT_KEY) === "ja"; } catch (e) { return false; }
  }
  function remember() {
    try { window.sessionStorage.setItem(CONSENT_KEY, "ja"); } catch (e) { /* private mode */ }
  }

  function addCss(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }
  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function loadLeaflet(box) {
    if (!loading) {
      var d = box.dataset;
      addCss(d.leafletCss);
      addCss(d.clusterCss);
      addCss(d.clusterDefaultCss);
      loading = addScript(d.leafletJs).then(function () { return addScript(d.clusterJs); });
    }
    return loading;
  }

  /* The text of the data-text-<name> attribute (dataset key ``key``), or ``german``. */
  function text(element, key, german) {
    var value = element && element.dataset[key];
    return value || german;
  }
  function escapeHtml(value) {
    return String(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function popup(props, target, box) {
    var wrap = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.title;
    if (target) { link.target = target; link.rel = "noopener"; }
    var title = document.createElement("strong");
    title.appendChild(link);
    wrap.appendChild(title);
    if (props.teaser) {
      var teaser = document.createElement("p");
      teaser.textContent = props.teaser;
      wrap.appendChild(teaser);
    }
    if (props.municipality) {
      var where = document.createElement("p");
      where.className = "meta";
      where.textContent = props.municipality +
        (props.status === "im-aufbau" ? " · " + text(box, "textUnderConstruction", "im Aufbau") : "");
      wrap.appendChild(where);
    }
    return wrap;
  }

  function setStatus(box, text) {
    var status = box.querySelector(".map-status");
    if (status) { status.textContent = text; }
  }

  /* Branded markers: a forest-green pin with a leaf-green dot (clay for places "im Aufbau"),
   * drawn as inline SVG, so no marker image is requested. */
  function pinIcon(L, status) {
    var dot = status === "im-aufbau" ? "#f2b27a" : "#9fd36b";
    return L.divIcon({
      className: "map-pin",
      html: '<svg viewBox="0 0 32 42" aria-hidden="true" focusable="false">' +
        '<path d="M16 1.5C8 1.5 1.5 7.9 1.5 15.9 1.5 26.8 16 40.5 16 40.5S30.5 26.8 30.5 15.9C30.5 7.9 24 1.5 16 1.5z" fill="#1f5c3a" stroke="#fff" stroke-width="2"/>' +
        '<circle cx="16" cy="15.5" r="6.5" fill="' + dot + '"/></svg>',
      iconSize: [32, 42],
      iconAnchor: [16, 41],
      popupAnchor: [0, -36]
    });
  }
  function clusterIcon(L, cluster, box) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 38 : count < 100 ? 46 : 54;
    return L.divIcon({
      className: "map-cluster",
      html: "<span>" + count + '<span class="visually-hidden"> ' +
        escapeHtml(text(box, "textCluster", "Orte, zum Vergrößern auswählen")) + "</span></span>",
      iconSize: [size, size]
    });
  }

  function marker(L, lat, lon, title, status) {
    return L.marker([lat, lon], { title: title, alt: title, keyboard: true, icon: pinIcon(L, status) });
  }

  function initMap(box, focus) {
    var L = window.L;
    var d = box.dataset;
    var consent = box.querySelector(".map-consent");
    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", text(box, "textLabel", "Interaktive Karte"));
    box.insertBefore(canvas, consent);
    consent.hidden = true;

    // maxZoom on the map itself: without tiles (none configured) the marker clusters need it.
    var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false, maxZoom: 18 })
      .setView([52.75, 11.6], 8);
    L.control.zoom({
      zoomInTitle: text(box, "textZoomIn", "Vergrößern"),
      zoomOutTitle: text(box, "textZoomOut", "Verkleinern")
    }).addTo(map);
    map.attributionControl.setPrefix("");
    if (focus) { canvas.focus(); }
    if (d.tiles) {
      L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 18 }).addTo(map);
    } else {
      canvas.classList.add("map-canvas--no-tiles");
    }

    if (d.lat && d.lon) {
      var point = [parseFloat(d.lat), parseFloat(d.lon)];
      marker(L, point[0], point[1], d.title).addTo(map);
      map.setView(point, 12);
      setStatus(box, text(box, "textLoaded", "Karte geladen."));
      return;
    }
    if (!d.geojson) { return; }
    setStatus(box, text(box, "textPlacesLoading", "Orte werden geladen …"));
    fetch(d.geojson, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var cluster = L.markerClusterGroup({
          showCoverageOnHover: false,
          iconCreateFunction: function (group) { return clusterIcon(L, group, box); }
        });
        var count = 0;
        (data.features || []).forEach(function (feature) {
          var g = feature.geometry;
          if (!g || g.type !== "Point") { return; }
          var props = feature.properties || {};
          var m = marker(L, g.coordinates[1], g.coordinates[0], props.title || "", props.status);
          m.bindPopup(popup(props, d.linkTarget, box));
          cluster.addLayer(m);
          count += 1;
        });
        map.addLayer(cluster);
        if (count) { map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 13 }); }
        setStatus(box, count === 1
          ? text(box, "textLoadedOne", "Karte mit einem Ort geladen.")
          : text(box, "textLoadedMany", "Karte mit {count} Orten geladen.").replace("{count}", String(count)));
      })
      .catch(function () {
        setStatus(box, text(box, "textPlacesFailed",
          "Die Orte konnten gerade nicht auf der Karte angezeigt werden. Die Liste zeigt alle Orte."));
      });
  }

  function start(box, focus) {
    if (box.dataset.mapStarted) { return; }
    box.dataset.mapStarted = "1";
    setStatus(box, text(box, "textLoading", "Karte wird geladen …"));
    loadLeaflet(box).then(function () { initMap(box, focus); }, function () {
      setStatus(box, text(box, "textFailed", "Die Karte konnte nicht geladen werden. Die Liste zeigt alle Orte."));
    });
  }

  var boxes = document.querySelectorAll("[data-map]");
  Array.prototype.forEach.call(boxes, function (box) {
    var button = box.querySelector("[data-map-load]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      remember();
      Array.prototype.forEach.call(boxes, function (other) { start(other, other === box); });
    });
    if (remembered()) { start(box); }
  });

  /* Filter panels (details/summary) are closed in the HTML so that phones show the results
   * first; on wide screens, where they sit beside the list, they open at once. */
  if (window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-panel]"), function (panel) {
      panel.open = true;
    });
  }

  /* "Karte einbetten": copy the iframe code. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        var note = document.getElementById(button.getAttribute("aria-describedby"));
        if (note) { note.textContent = text(button, "textCopied", "Code kopiert."); }
      });
    });
  });
})();
