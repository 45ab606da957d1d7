// Map picker for the latitude/longitude inputs of a place in the Wagtail admin.
(function () {
  "use strict";

  const ALTMARK = [52.7, 11.4];

  function parse(input) {
    const value = parseFloat(String(input.value).replace(",", "."));
    return Number.isFinite(value) ? value : null;
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
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      lonInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    map.on("click", (event) => {
      marker.setLatLng(event.latlng).addTo(map);
      write(event.latlng);
    });
    marker.on("dragend", () => write(marker.getLatLng()));
    [latInput, lonInput].forEach((input) =>
      input.addEventListener("input", () => {
        const lat = parse(latInput);
        const lon = parse(lonInput);
        if (lat !== null && lon !== null) {
          marker.setLatLng([lat, lon]).addTo(map);
          map.panTo([lat, lon]);
        }
      }),
    );
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
