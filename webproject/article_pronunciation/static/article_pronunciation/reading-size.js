// The reading size: small, medium (the default), large or extra large,
// remembered by the browser (localStorage).  Loaded in <head> without
// `defer`, so that the remembered size applies before the article is drawn.
(function () {
  "use strict";
  var KEY = "fastpron.readingSize";
  var SIZES = ["s", "m", "l", "xl"];
  var root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function set(size, remember) {
    if (SIZES.indexOf(size) < 0) size = "m";
    root.setAttribute("data-reading-size", size);
    if (remember) {
      try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: this page only */ }
    }
    return size;
  }

  var current = set(stored(), false);

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.getElementById("fp-reading-size");
    if (!control) return;
    control.value = current;
    control.closest(".reading-size").hidden = false;
    control.addEventListener("change", function () { current = set(control.value, true); });
  });
})();
