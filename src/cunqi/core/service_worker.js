// Cunqi's service worker: the site's shell and the pages a user opened stay on the phone,
// so that a form opens, and a page can be read, on a weak or dropped connection. Pages
// are fetched from the network first and the phone's copy is the fallback; the platform's
// own static files are served from the phone and refreshed behind. Nothing but same-site
// pages and static files is kept: no API answers, no downloads. Signing in or out empties it.
var CACHE = "cunqi-pages-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(request, response) {
  // A page marked no-store (a personal value shown in full) never stays on the phone.
  var storable = (response.headers.get("Cache-Control") || "").indexOf("no-store") < 0;
  if (response.ok && response.type === "basic" && storable) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) { return keep(request, response); });
      return cached || fresh;
    }));
    return;
  }
  if (request.mode !== "navigate") return;
  event.respondWith(fetch(request).then(function (response) {
    var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
    return html ? keep(request, response) : response;
  }).catch(function () {
    return caches.match(request).then(function (cached) { return cached || caches.match("/"); });
  }));
});
