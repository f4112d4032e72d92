/* Kiosk mode for the support-point TV: arrow keys + Enter (TV remote), a looping playlist,
   an idle screen, full screen, and no way out of /kiosk/. Works on its own: no libraries. */
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-kiosk-home");
  // The same page whether home is written "/tyz/kiosk/" (site) or "kiosk" (inside a ZIM file)
  var homePath = new URL(home, location.href).pathname;
  // Offline (a ZIM file in Kiwix) the kiosk's links lead to the file's own product pages.
  var offline = body.hasAttribute("data-offline");
  var idleMs = (parseInt(body.getAttribute("data-idle-seconds"), 10) || 120) * 1000;
  var inKiosk = /^\/([a-z-]+\/)?kiosk\//;

  // --- spatial navigation: move focus to the nearest control in the arrow's direction
  function targets() { return Array.prototype.slice.call(document.querySelectorAll("[data-nav]")); }
  function centre(el) { var r = el.getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }
  function move(dx, dy) {
    var all = targets(), cur = document.activeElement;
    if (all.indexOf(cur) < 0) { if (all.length) all[0].focus(); return; }
    var c = centre(cur), best = null, bestScore = Infinity;
    all.forEach(function (el) {
      if (el === cur) return;
      var p = centre(el), vx = p.x - c.x, vy = p.y - c.y;
      var along = vx * dx + vy * dy;            // distance in the wanted direction
      if (along <= 1) return;
      var across = Math.abs(vx * dy) + Math.abs(vy * dx); // drift sideways counts double
      var score = along + 2 * across;
      if (score < bestScore) { bestScore = score; best = el; }
    });
    if (best) { best.focus(); best.scrollIntoView({ block: "nearest" }); }
  }
  var arrows = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

  // --- idle screen: after a while without input, show it; any key brings the kiosk back
  var idle = document.getElementById("idle"), idleTimer = null;
  function showIdle() {
    if (location.pathname !== homePath) {
      location.href = home + "?idle=1"; return;  // a product page goes back to the start
    }
    idle.hidden = false; tick();
  }
  function wake() { clearTimeout(idleTimer); idleTimer = setTimeout(showIdle, idleMs); }
  function tick() {
    var clock = document.getElementById("clock");
    if (clock) clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }
  setInterval(tick, 30000);

  function fullScreen() {
    var el = document.documentElement;
    if (!document.fullscreenElement && el.requestFullscreen) el.requestFullscreen().catch(function () {});
  }

  document.addEventListener("keydown", function (e) {
    wake(); fullScreen();
    if (!idle.hidden) { idle.hidden = true; e.preventDefault(); return; }
    var a = arrows[e.key];
    if (a) { e.preventDefault(); move(a[0], a[1]); }
    else if (e.key === "Backspace" || e.key === "Escape" || e.key === "BrowserBack") {
      if (location.pathname !== homePath) { e.preventDefault(); location.href = home; }
    }
  });
  ["mousedown", "touchstart"].forEach(function (t) { document.addEventListener(t, function () { wake(); if (!idle.hidden) idle.hidden = true; }); });

  // --- nothing leaves the kiosk: links outside /kiosk/ (e.g. inside article text) do nothing
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a) return;
    var url = new URL(a.href, location.href);
    if (url.origin !== location.origin || (!offline && !inKiosk.test(url.pathname)) ||
        a.hasAttribute("download")) e.preventDefault();
  });
  document.addEventListener("contextmenu", function (e) { e.preventDefault(); });

  // --- the playlist: plays every item in turn and starts again after the last
  var player = document.getElementById("playlist-player"), list = document.getElementById("playlist");
  if (player && list) {
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-src]")), index = 0;
    var now = document.getElementById("now-playing");
    var select = function (i) {
      index = (i + items.length) % items.length;
      items.forEach(function (li, n) { if (n === index) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current"); });
      now.textContent = items[index].getAttribute("data-title");
      player.src = items[index].getAttribute("data-src");
      body.setAttribute("data-playing", String(index));
      return player.play().catch(function () {});
    };
    // A support point's kiosk (opened once with ?diem=CODE) reports each finished play, as a
    // station reports an airing: a count per product and day, nothing about who listened.
    // Its key comes once in the set-up address's fragment (#khoa=…, never sent to a server)
    // and is kept; the fragment is then taken off the address bar.
    var point = (location.search.match(/[?&]diem=([a-z0-9-]+)/) || [])[1];
    var key = (location.hash.match(/[#&]khoa=([A-Za-z0-9_-]+)/) || [])[1];
    try {
      if (point) localStorage.setItem("loa-kiosk-diem", point); else point = localStorage.getItem("loa-kiosk-diem");
      if (key) localStorage.setItem("loa-kiosk-khoa", key); else key = localStorage.getItem("loa-kiosk-khoa");
    } catch (e) {}
    if (location.hash && history.replaceState) history.replaceState(null, "", location.pathname + location.search);
    var report = function (li) {
      if (!point || !key || !navigator.sendBeacon || !li.getAttribute("data-id")) return;
      var form = new FormData(); form.append("trang", li.getAttribute("data-id")); form.append("khoa", key);
      navigator.sendBeacon("/diem-ho-tro/" + point + "/phat/", form);
    };
    player.addEventListener("ended", function () { report(items[index]); select(index + 1); });
    document.getElementById("pl-play").addEventListener("click", function () { select(index); });
    document.getElementById("pl-next").addEventListener("click", function () { select(index + 1); });
    select(0);  // starts at once where the browser allows autoplay (kiosk launch flags)
  }

  var first = document.querySelector("[data-nav]#pl-play") || targets()[0];
  if (first) first.focus();
  if (/[?&]idle=1/.test(location.search)) showIdle();
  wake();
})();
