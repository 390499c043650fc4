// The result page's enhancements.  Everything here also works without
// script: the options form reloads the page, the readings page picks
// readings, the browser prints.  With script:
//  - changing an option re-renders the article in place (no reload);
//  - a word with several readings opens a small picker; a pick is saved
//    with the article (POST with the page's CSRF token) and shown at once;
//  - the Copy and Print buttons.
(function () {
  "use strict";

  var optionsForm = document.querySelector(".display-options");
  var pickForm = document.getElementById("fp-pick-form");
  var picker = document.getElementById("fp-picker");
  var choicesScript = document.getElementById("fp-choices");
  if (!optionsForm || !pickForm || !picker || !choicesScript) return;

  var status = optionsForm.querySelector(".status");
  var runningText = document.getElementById("fp-running-text");
  var choices = JSON.parse(choicesScript.textContent);
  var current = null;           // the token element the picker is open for

  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  document.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });

  // -- Copy, Print --------------------------------------------------------
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.querySelector(button.getAttribute("data-copy"));
      input.select();
      var done = function () { button.textContent = button.getAttribute("data-copied"); };
      if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () {});
      else if (document.execCommand("copy")) done();
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // -- options: live switch ------------------------------------------------
  function query() {
    return new URLSearchParams(new FormData(optionsForm)).toString();
  }

  function showLayoutField() {
    var system = optionsForm.elements.system.value;
    optionsForm.querySelectorAll("[data-show-for-system]").forEach(function (el) {
      el.hidden = el.getAttribute("data-show-for-system") !== system;
    });
  }

  function article() {
    return document.getElementById("fp-article");
  }

  function apply(payload) {
    status.removeAttribute("data-busy");
    var old = article();
    var holder = document.createElement("div");
    holder.innerHTML = payload.html;     // fastpron's output: every user string escaped
    old.replaceWith(holder.firstElementChild);
    if (runningText) runningText.textContent = payload.romanized;
    document.querySelectorAll(".js-system-label").forEach(function (el) { el.textContent = payload.system_label; });
    choices = payload.choices;
    document.querySelectorAll(".js-keep-query").forEach(function (link) {
      link.href = link.href.split("?")[0] + "?" + payload.query;
    });
    // a long article's page links keep their page
    document.querySelectorAll(".js-page-link").forEach(function (link) {
      var page = link.getAttribute("data-page");
      link.href = link.href.split("?")[0] + "?" + payload.query + (page === "1" ? "" : "&page=" + page);
    });
    var shown = payload.page_query || payload.query;     // the options and the page of the article shown
    history.replaceState(null, "", location.pathname + "?" + shown);
    // the permalink box and the language switch follow the options shown
    var permalink = document.getElementById("permalink");
    if (permalink) permalink.value = permalink.value.split("?")[0] + "?" + shown;
    document.querySelectorAll(".language-switch input[name=next]").forEach(function (input) {
      input.value = location.pathname + "?" + shown;
    });
    markChoices();
  }

  function request(url, options) {
    options = options || {};
    options.headers = Object.assign({"Accept": "application/json"}, options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  optionsForm.addEventListener("change", function () {
    showLayoutField();
    closePicker();
    status.textContent = status.getAttribute("data-working") || "…";
    status.setAttribute("data-busy", "");
    article().setAttribute("aria-busy", "true");
    article().classList.add("is-updating");
    request(optionsForm.getAttribute("data-render-url") + "?" + query())
      .then(function (payload) { apply(payload); status.textContent = ""; })
      .catch(function () { optionsForm.submit(); });   // fall back to a page load
  });
  optionsForm.addEventListener("submit", function (event) {
    event.preventDefault();
    optionsForm.dispatchEvent(new Event("change"));
  });
  showLayoutField();

  // -- picks on someone else's article go to a copy; undo -----------------
  var undoForm = document.getElementById("fp-undo-form");

  function moved(payload) {
    // A pick on an article of another browser made a copy: every link and
    // form of the page now points at the copy, and so does the address bar.
    var old = pickForm.action.match(/pronunciation\/([0-9a-f-]{36})\//);
    if (payload.article_id && old && old[1] !== payload.article_id) {
      var swap = function (value) { return value.split(old[1]).join(payload.article_id); };
      document.querySelectorAll("a[href*='" + old[1] + "']").forEach(function (a) { a.href = swap(a.href); });
      document.querySelectorAll("form[action*='" + old[1] + "']").forEach(function (f) { f.action = swap(f.action); });
      optionsForm.setAttribute("data-render-url", swap(optionsForm.getAttribute("data-render-url")));
      var permalink = document.getElementById("permalink");
      if (permalink && payload.permalink) permalink.value = payload.permalink;
      document.querySelectorAll(".language-switch input[name=next]").forEach(function (input) {
        input.value = swap(input.value);
      });
      history.replaceState(null, "", swap(location.pathname) + location.search);
      document.querySelectorAll(".hint--copy").forEach(function (el) { el.hidden = true; });
    }
    if (undoForm) undoForm.hidden = !payload.can_undo;
  }

  if (undoForm) {
    undoForm.addEventListener("submit", function (event) {
      event.preventDefault();
      status.textContent = "…";
      request(undoForm.action.split("?")[0] + "?" + query(), {method: "POST", body: new FormData(undoForm)})
        .then(function (payload) { moved(payload); apply(payload); status.textContent = ""; })
        .catch(function () { undoForm.submit(); });
    });
  }

  // -- reading picker ------------------------------------------------------
  function markChoices() {
    article().querySelectorAll("[data-start]").forEach(function (el) {
      var choice = choices[el.getAttribute("data-start")];
      if (!choice) return;
      el.classList.add("fp-has-choices");
      el.classList.toggle("fp-picked", choice.choice !== 0);
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-haspopup", "dialog");
    });
  }

  function openPicker(el) {
    var choice = choices[el.getAttribute("data-start")];
    if (!choice) return;
    current = el;
    picker.querySelector(".picker__title").textContent = choice.text;
    var applyAll = document.getElementById("fp-apply-all");
    if (applyAll) {
      var same = Object.keys(choices).filter(function (start) { return choices[start].text === choice.text; });
      applyAll.checked = false;
      applyAll.closest("label").hidden = same.length < 2;
      var caption = applyAll.parentNode.querySelector("span");
      caption.textContent = caption.getAttribute("data-template").replace("{word}", choice.text);
    }
    var list = picker.querySelector(".picker__list");
    list.textContent = "";
    choice.readings.forEach(function (reading, number) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", number === choice.choice ? "true" : "false");
      button.setAttribute("data-number", String(number));
      var label = document.createElement("span");
      label.className = "picker__reading";
      var text = document.createElement("span");
      text.className = "picker__romanized";
      text.lang = "nan-Latn-TW";
      text.textContent = reading;
      label.appendChild(text);
      var gloss = choice.glosses && choice.glosses[number];
      if (gloss) {
        var meaning = document.createElement("span");
        meaning.className = "picker__gloss";
        meaning.lang = "zh-Hant-TW";
        meaning.textContent = gloss;
        label.appendChild(meaning);
      }
      button.appendChild(label);
      // the reading fastpron gives without a pick: not always the first (a news sentence's)
      if (number === (typeof choice.usual === "number" ? choice.usual : 0)) {
        var note = document.createElement("small");
        note.textContent = picker.getAttribute("data-default");
        button.appendChild(note);
      }
      item.appendChild(button);
      list.appendChild(item);
    });
    var box = el.getBoundingClientRect();
    picker.hidden = false;
    picker.style.left = Math.max(8, Math.min(window.scrollX + box.left,
                                             window.scrollX + document.documentElement.clientWidth - picker.offsetWidth - 8)) + "px";
    picker.style.top = (window.scrollY + box.bottom + 6) + "px";
    var selected = list.querySelector('[aria-pressed="true"]') || list.querySelector("button");
    selected.focus();
  }

  function closePicker(returnFocus) {
    if (picker.hidden) return;
    picker.hidden = true;
    if (returnFocus && current) current.focus();
    current = null;
  }

  function pick(number) {
    var start = current.getAttribute("data-start");
    var body = new FormData(pickForm);
    body.append("pick-" + start, String(number));
    var applyAll = document.getElementById("fp-apply-all");
    if (applyAll && applyAll.checked) body.append("apply_to_all", "1");
    status.textContent = "…";
    request(pickForm.action + "?" + query(), {method: "POST", body: body})
      .then(function (payload) {
        closePicker(false);
        moved(payload);
        apply(payload);
        status.textContent = picker.getAttribute("data-saved");
        var again = article().querySelector('[data-start="' + start + '"]');
        if (again) again.focus();
      })
      .catch(function () { status.textContent = picker.getAttribute("data-failed"); });
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest(".picker__list button");
    if (option && current) {
      pick(parseInt(option.getAttribute("data-number"), 10));
      return;
    }
    var token = event.target.closest("#fp-article .fp-has-choices");
    if (token) {
      openPicker(token);
      return;
    }
    if (!event.target.closest("#fp-picker")) closePicker(false);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closePicker(true);
      return;
    }
    var token = event.target.closest && event.target.closest("#fp-article .fp-has-choices");
    if (token && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      openPicker(token);
      return;
    }
    if (!picker.hidden && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      var buttons = Array.prototype.slice.call(picker.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      var next = buttons[(at + (event.key === "ArrowDown" ? 1 : buttons.length - 1)) % buttons.length];
      if (next) { event.preventDefault(); next.focus(); }
    }
  });

  markChoices();
})();
