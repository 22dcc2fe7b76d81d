// Redress: progressive enhancement only; every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Move focus to the error summary so keyboard and screen-reader users hear what to fix.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Character counter for the description.
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    if (!field) return;
    var min = parseInt(field.getAttribute("minlength") || "0", 10);
    var max = parseInt(field.getAttribute("maxlength") || "0", 10);
    var update = function () {
      var n = field.value.trim().length;
      counter.textContent = n + " characters" + (n < min ? " (at least " + min + ")" : "") + (max ? " of at most " + max.toLocaleString() : "");
    };
    field.addEventListener("input", update);
    update();
  });

  // Filing, step 1: suggestions as you type, and the "not listed" fields shown only when needed.
  var step = document.querySelector("[data-business-step]");
  if (!step) return;
  var input = step.querySelector("[data-business-search]");
  var select = step.querySelector("select[name=business]");
  var box = step.querySelector("[data-suggestions]");
  var list = step.querySelector("[data-suggestion-list]");
  var url = step.getAttribute("data-suggest-url");
  var notListed = step.querySelector("input[name=not_listed]");
  var unlisted = step.querySelector("[data-unlisted]");
  var timer = null;
  var latest = 0;

  function choose(item) {
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === item.slug; });
    if (!option) {
      option = new Option(item.name, item.slug);
      select.add(option);
    }
    select.value = item.slug;
    input.value = item.name;
    box.hidden = true;
    if (notListed) { notListed.checked = false; toggleUnlisted(); }
    select.focus();
  }

  function render(results) {
    list.innerHTML = "";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.textContent = item.name;
      if (item.city || item.website) {
        var small = document.createElement("small");
        small.textContent = " — " + [item.city, item.website].filter(Boolean).join(", ");
        button.appendChild(small);
      }
      button.addEventListener("click", function () { choose(item); });
      li.appendChild(button);
      list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2) { render([]); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        if (ticket !== latest) return;
        render(data.results || []);
        // Keep the plain <select> in step with the search, so it offers the same businesses.
        var chosen = select.value;
        Array.prototype.slice.call(select.options).forEach(function (o) { if (o.value && o.value !== chosen) o.remove(); });
        (data.results || []).forEach(function (item) { if (item.slug !== chosen) select.add(new Option(item.name, item.slug)); });
      })
      .catch(function () { render([]); });
  }

  if (input && select && box && list && url) {
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 150); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); search(); }
      if (e.key === "ArrowDown") { var first = list.querySelector("button"); if (first) { e.preventDefault(); first.focus(); } }
    });
    list.addEventListener("keydown", function (e) {
      var current = document.activeElement.closest("li");
      if (!current) return;
      if (e.key === "ArrowDown" && current.nextElementSibling) { e.preventDefault(); current.nextElementSibling.querySelector("button").focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (current.previousElementSibling ? current.previousElementSibling.querySelector("button") : input).focus(); }
      if (e.key === "Escape") { box.hidden = true; input.focus(); }
    });
  }

  function toggleUnlisted() {
    if (!notListed || !unlisted) return;
    unlisted.hidden = !notListed.checked && !unlisted.querySelector(".field--error");
  }
  if (notListed) { notListed.addEventListener("change", toggleUnlisted); toggleUnlisted(); }
})();
