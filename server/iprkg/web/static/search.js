// Suggestions under the search box in every page's header, as one types.
// Progressive enhancement: the box is a plain GET form to /search that works without
// this script; with it, the names of the first few resources whose labels begin like
// the words typed (from /search/suggest) appear below the box as links to their pages.
(function () {
  "use strict";
  var DELAY = 150;
  var MIN_CHARS = 2;

  function setUp(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".suggestions");
    var endpoint = form.getAttribute("data-suggest");
    if (!input || !list || !endpoint || !window.fetch) return;
    var timer = null;
    var asked = "";
    var lang = document.documentElement.lang || "nb";

    function hide() {
      list.hidden = true;
      list.textContent = "";
    }

    function show(suggestions) {
      list.textContent = "";
      suggestions.forEach(function (suggestion) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = suggestion.url;
        link.textContent = suggestion.label;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = suggestion.kind;
        link.appendChild(document.createTextNode(" "));
        link.appendChild(kind);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = suggestions.length === 0;
    }

    function ask() {
      var typed = input.value.trim();
      if (typed.length < MIN_CHARS || typed.length > 200) { asked = ""; hide(); return; }
      if (typed === asked) return;
      asked = typed;
      var url = endpoint + "?q=" + encodeURIComponent(typed) + "&lang=" + encodeURIComponent(lang);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (answer) { if (asked === typed) show(answer.suggestions || []); })
        .catch(hide);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
      if (event.key === "Escape") { hide(); input.focus(); }
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) setTimeout(hide, 100);
    });
  }

  document.querySelectorAll("form.site-search").forEach(setUp);
})();
