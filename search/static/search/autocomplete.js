/* Autocomplete for search fields: fills the field's <datalist> with completions
   from /api/search/autocomplete/. Without JavaScript the field is a plain search. */
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-autocomplete-url");
    if (!list || !url || !window.fetch) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var value = input.value;
        if (value === last) { return; }
        last = value;
        if (value.trim().length < 2) { list.textContent = ""; return; }
        fetch(url + "?q=" + encodeURIComponent(value), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { completions: [] }; })
          .then(function (data) {
            if (input.value !== value) { return; }
            list.textContent = "";
            (data.completions || []).forEach(function (completion) {
              var option = document.createElement("option");
              option.value = completion;
              list.appendChild(option);
            });
          })
          .catch(function () { list.textContent = ""; });
      }, 150);
    });
  }
  function init() {
    var inputs = document.querySelectorAll("input[data-autocomplete-url][list]");
    for (var i = 0; i < inputs.length; i++) { attach(inputs[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
