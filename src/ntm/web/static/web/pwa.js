// Installs the service worker (ntm.web.pwa, served at /sw.js) that lets pages already opened
// and the entry form's files work without a connection. Loaded on every page from base.html.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var worker = (script && script.dataset.worker) || "/sw.js";
  var logout = script && script.dataset.logout;
  navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
    /* no worker (private window, http on a phone): the site works, only not offline */
  });
  // Each page says whose it is: when that changes (another user logged in on this phone, or
  // the login page after a session ended), the pages kept for the previous user are dropped.
  var user = (script && script.dataset.user) || "";
  navigator.serviceWorker.ready.then(function (registration) {
    if (registration.active) registration.active.postMessage("ntm:user:" + user);
  });
  // The pages kept for offline use belong to the user logging out, not to the next one.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!logout || !form.action || new URL(form.action).pathname !== logout) return;
    if (navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("ntm:forget-pages");
    }
  });
})();
