/* Autocomplete for the search box: fills the <datalist> with matching titles.
   The form works the same without it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autocomplete]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]"), list = document.getElementById("goi-y");
  var url = form.getAttribute("data-autocomplete"), timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (s) {
            var o = document.createElement("option"); o.value = s.title; list.appendChild(o);
          });
        });
    }, 250);
  });
})();
