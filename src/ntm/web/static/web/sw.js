// The service worker of the installable app, served at /sw.js by ntm.web.pwa, which puts
// SHELL (the app-shell URLs) and CACHE (a name that changes with each release) in front.
// Pages: network first, so an officer always sees the stored numbers when there is a
// connection; the copy of each page opened is kept for when there is none. Static files:
// cache first (their names do not change within a release). API calls and every POST go
// straight to the network: a write is never answered from a cache.
/* global SHELL, CACHE */
"use strict";
var PAGES = CACHE + "-pages";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("ntm-") === 0 && name !== CACHE && name !== PAGES;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(request) {
  return request.mode === "navigate" ||
    (request.headers.get("Accept") || "").indexOf("text/html") !== -1;
}

function offlinePage() {
  var body = "<!doctype html><meta charset=utf-8><title>Không có mạng</title>" +
    "<p>Không có mạng và trang này chưa được mở trên máy này lần nào.</p>";
  return new Response(body, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function networkFirst(request) {
  return fetch(request).then(function (response) {
    // Only a whole page is kept (not a redirect to the login page, an error or a download).
    var type = response.headers.get("Content-Type") || "";
    if (response.ok && response.type === "basic" && type.indexOf("text/html") === 0) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { cacheName: PAGES }).then(function (hit) {
      return hit || offlinePage();
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
  } else if (isPage(request) && !request.headers.get("HX-Request")) {
    event.respondWith(networkFirst(request));
  }
});

// Whose pages are kept, stored beside them (a worker's variables do not outlive it).
var OWNER = "/__ntm_owner__";

function keepOwner(user) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(OWNER).then(function (hit) {
      return hit ? hit.text() : null;
    }).then(function (owner) {
      if (owner === user) return null;
      // another user (or nobody, on the login page): the previous user's pages go
      return caches.delete(PAGES).then(function () {
        return caches.open(PAGES);
      }).then(function (fresh) {
        return fresh.put(OWNER, new Response(user));
      });
    });
  });
}

// From pwa.js: "ntm:user:<id>" on every page, "ntm:forget-pages" when the user logs out.
self.addEventListener("message", function (event) {
  if (event.data === "ntm:forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  } else if (typeof event.data === "string" && event.data.indexOf("ntm:user:") === 0) {
    event.waitUntil(keepOwner(event.data.slice("ntm:user:".length)));
  }
});
