// Map picker for the latitude/longitude inputs of a place in the Wagtail admin.
(function () {
  "use strict";

  const ALTMARK = [52.7, 11.4];

  function parse(input) {
    const value = parseFloat(String(input.value).trim().replace(",", "."));
    return Number.isFinite(value) ? value : null;
  }

  const NUMBER = /^[+-]?\d{1,3}(?:[.,]\d+)?$/;

  // "52.60, 11.86", "52,60 11,86", "52.60;11.86" -> ["52.60", "11.86"]; a single number with
  // a decimal comma ("51,867") is not a pair. The same rules as places.forms.split_pair,
  // which applies them again on the server (without this script, too).
  function splitPair(value) {
    const text = String(value || "").trim().replace(/°/g, "");
    let parts = null;
    if (text.includes(";")) parts = text.split(";");
    else if (/\s/.test(text)) {
      const match = text.match(/^(\S+?)(?:\s*,\s+|\s+,?\s*)(\S+)$/);
      parts = match ? [match[1], match[2]] : null;
    } else if ((text.match(/,/g) || []).length === 1 && text.includes(".")) parts = text.split(",");
    else if ((text.match(/,/g) || []).length === 3) {
      const pieces = text.split(",");
      parts = [pieces[0] + "," + pieces[1], pieces[2] + "," + pieces[3]];
    }
    if (!parts || parts.length !== 2) return null;
    parts = parts.map((part) => part.trim());
    return parts.every((part) => NUMBER.test(part)) ? parts : null;
  }

  function setup(container) {
    if (container.dataset.ready || typeof L === "undefined") return;
    container.dataset.ready = "1";
    const panel = container.parentElement;
    const latInput = panel.querySelector("input[name$='latitude']");
    const lonInput = panel.querySelector("input[name$='longitude']");
    if (!latInput || !lonInput) return;

    const start = [parse(latInput), parse(lonInput)];
    const hasPoint = start[0] !== null && start[1] !== null;
    const map = L.map(container).setView(hasPoint ? start : ALTMARK, hasPoint ? 13 : 9);
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        maxZoom: 18,
        attribution: container.dataset.tileAttribution,
      }).addTo(map);
    }
    const marker = L.marker(hasPoint ? start : ALTMARK, { draggable: true });
    if (hasPoint) marker.addTo(map);

    function write(latlng) {
      latInput.value = Number(latlng.lat).toFixed(6);
      lonInput.value = Number(latlng.lng).toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      lonInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function showPoint() {
      const lat = parse(latInput);
      const lon = parse(lonInput);
      if (lat !== null && lon !== null) {
        marker.setLatLng([lat, lon]).addTo(map);
        map.panTo([lat, lon]);
      }
    }

    // A pair pasted (or typed) into either input fills both.
    [latInput, lonInput].forEach((input) =>
      input.addEventListener("input", () => {
        const pair = splitPair(input.value);
        if (!pair) return;
        latInput.value = pair[0];
        lonInput.value = pair[1];
        lonInput.dispatchEvent(new Event("change", { bubbles: true }));
      }),
    );

    // "Punkt aus Adresse setzen": the admin view answers with a point or a message.
    const locate = panel.querySelector("[data-coordinates-locate]");
    const button = locate && locate.querySelector("[data-coordinates-locate-button]");
    const status = locate && locate.querySelector("[data-coordinates-locate-status]");
    if (button && locate.dataset.locateUrl) {
      button.addEventListener("click", async () => {
        const form = latInput.form;
        const query = new URLSearchParams();
        ["street", "postcode", "municipality", "district"].forEach((name) => {
          const field = form && form.querySelector(`[name='${name}']`);
          query.set(name, field ? field.value : "");
        });
        button.disabled = true;
        status.textContent = "Suche …";
        try {
          const response = await fetch(`${locate.dataset.locateUrl}?${query}`, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
          });
          const answer = await response.json();
          status.textContent = answer.message || "";
          if (answer.found) {
            write({ lat: answer.latitude, lng: answer.longitude });
            showPoint();
            map.setZoom(14);
          }
        } catch (error) {
          status.textContent =
            "Der Punkt konnte nicht gesetzt werden. Bitte klicken Sie in die Karte oder tragen Sie Breite und Länge ein.";
        } finally {
          button.disabled = false;
        }
      });
    }

    map.on("click", (event) => {
      marker.setLatLng(event.latlng).addTo(map);
      write(event.latlng);
    });
    marker.on("dragend", () => write(marker.getLatLng()));
    [latInput, lonInput].forEach((input) => input.addEventListener("input", showPoint));
    // The panel may sit in a hidden tab; recompute the size once it becomes visible.
    new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) map.invalidateSize();
    }).observe(container);
  }

  function init() {
    document.querySelectorAll("[data-coordinates-map]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
