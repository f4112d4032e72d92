/* On a slow or data-saving connection, drop the large video/audio sources before anything
   loads, so the light rendition plays. Without this script the <source media> order
   (by screen size) still applies. */
(function () {
  "use strict";
  var c = navigator.connection;
  if (!c || !(c.saveData || /^(slow-2g|2g|3g)$/.test(c.effectiveType || ""))) return;
  document.querySelectorAll("[data-player]").forEach(function (el) {
    var sources = el.querySelectorAll("source"), light = el.querySelector("source[data-quality=light]");
    if (!light) return;
    sources.forEach(function (s) {
      var big = s.getAttribute("data-quality") === "high" || s.hasAttribute("media");
      if (s !== light && big) s.remove();
    });
    el.load();
  });
})();
