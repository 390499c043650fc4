// The input form: a live character count, and no submission of a text over
// the limit (the text stays in the box; the server checks again anyway).
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-max-length]");
  var counter = document.querySelector(".char-count");
  if (!textarea || !counter) return;
  var limit = parseInt(textarea.getAttribute("data-max-length"), 10);
  var format = new Intl.NumberFormat();

  function length() {
    // Count code points, as the server does (an astral character is one).
    var n = 0;
    for (var ignored of textarea.value) n++;
    return n;
  }

  function fill(template, count) {
    return template.replace("{count}", format.format(count)).replace("{limit}", format.format(limit));
  }

  function update() {
    var count = length();
    var over = count > limit;
    counter.hidden = false;
    counter.classList.toggle("is-over", over);
    counter.textContent = fill(counter.getAttribute(over ? "data-over" : "data-template"), count);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    return over;
  }

  textarea.addEventListener("input", update);
  textarea.form.addEventListener("submit", function (event) {
    if (update()) {
      event.preventDefault();
      textarea.focus();
      return;
    }
    // the server is working: say so, and do not send the text twice
    var working = document.querySelector(".submit-status");
    var button = textarea.form.querySelector("button[type=submit]");
    if (working) {
      working.textContent = working.getAttribute("data-working");
      working.setAttribute("data-busy", "");
    }
    if (button) button.disabled = true;
    textarea.form.setAttribute("aria-busy", "true");
  });
  update();
})();
