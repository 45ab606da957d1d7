/* Kreativorte im Grünen – the place page's gallery in a lightbox.
 * Without JavaScript every thumbnail is a plain link to the large image. With it, the link
 * opens a modal <dialog>: Escape closes it, the arrow keys (and two buttons) go through the
 * images, the caption shows the image's credit, and focus returns to the link of the image
 * shown last. No third-party requests; the large image is the link's own target.
 * Its words come from the gallery's data attributes (data-close, data-previous, data-next,
 * data-image, data-image-of with {number} and {total}), translated by the page's template;
 * German if one is missing. */
(function () {
  "use strict";
  var galleries = document.querySelectorAll("[data-lightbox]");
  if (!galleries.length || typeof HTMLDialogElement !== "function") { return; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  Array.prototype.forEach.call(galleries, function (gallery, galleryIndex) {
    var links = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery-link"));
    if (!links.length) { return; }
    var current = 0;
    var words = gallery.dataset;

    var dialog = el("dialog", "lightbox");
    var countId = "lightbox-zahl-" + galleryIndex;
    dialog.setAttribute("aria-labelledby", countId);
    var inner = el("div", "lightbox-inner");
    var bar = el("div", "lightbox-bar");
    var count = el("p", "lightbox-count");
    count.id = countId;
    var close = el("button", "lightbox-close", words.close || "Schließen");
    close.type = "button";
    bar.appendChild(count);
    bar.appendChild(close);
    var stage = el("div", "lightbox-stage");
    var image = el("img");
    image.decoding = "async";
    stage.appendChild(image);
    var caption = el("p", "lightbox-caption");
    var nav = el("div", "lightbox-nav");
    var prev = el("button", "lightbox-prev", words.previous || "← Vorheriges Bild");
    var next = el("button", "lightbox-next", words.next || "Nächstes Bild →");
    prev.type = next.type = "button";
    nav.appendChild(prev);
    nav.appendChild(next);
    inner.appendChild(bar);
    inner.appendChild(stage);
    inner.appendChild(caption);
    if (links.length > 1) { inner.appendChild(nav); }
    dialog.appendChild(inner);
    document.body.appendChild(dialog);

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumb = link.querySelector("img");
      image.src = link.href;
      image.alt = thumb ? thumb.alt : "";
      count.textContent = links.length > 1
        ? (words.imageOf || "Bild {number} von {total}")
          .replace("{number}", String(current + 1)).replace("{total}", String(links.length))
        : words.image || "Bild";
      caption.textContent = "";
      var figcaption = link.closest("figure") && link.closest("figure").querySelector("figcaption");
      if (figcaption) {
        Array.prototype.forEach.call(figcaption.childNodes, function (node) {
          caption.appendChild(node.cloneNode(true));
        });
      }
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
          return;  // a new tab or window: the plain link
        }
        event.preventDefault();
        show(index);
        dialog.showModal();
        close.focus();
      });
    });
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
      else if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    });
    // A click on the dark backdrop or beside the image closes, like Escape.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === stage) { dialog.close(); }
    });
    dialog.addEventListener("close", function () {
      image.removeAttribute("src");
      links[current].focus();
    });
  });
})();
