// The service worker: the portfolio's static files and the shells of the forms that work with
// no signal (new observation, new entry) open without a network.
//
// Pages are never shared between accounts: the page script (static/js/outbox.js) stores a
// form's page in a cache named after the signed-in person, tells this worker who that is, and
// deletes every other person's cache (and its own on sign-out). This worker answers a page from
// the cache of the person it was last told about only, and only when the network fails.
"use strict";

var STATIC_CACHE = "portfolio-static-v1";
var SHELL_PREFIX = "portfolio-shell-";
var META_CACHE = "portfolio-offline-meta";
var WHO = "/__offline/who";
var ASSETS = [
  "/static/css/app.css",
  "/static/js/app.js",
  "/static/js/keep.js",
  "/static/js/autosave.js",
  "/static/js/outbox.js",
  "/static/img/favicon.svg",
  "/static/img/icon.svg",
  "/static/img/icon-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(ASSETS);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("portfolio-static-") === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function signedIn() {
  return caches.open(META_CACHE).then(function (cache) { return cache.match(WHO); })
    .then(function (answer) { return answer ? answer.text() : ""; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "user") { return; }
  var user = String(data.user || "");
  event.waitUntil(caches.open(META_CACHE).then(function (cache) {
    return cache.put(WHO, new Response(user, { headers: { "Content-Type": "text/plain" } }));
  }));
});

function offlinePage() {
  var html = "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>No connection – Advanced Coach Portfolio</title>" +
    "<link rel=\"stylesheet\" href=\"/static/css/app.css\"></head><body>" +
    "<div class=\"page\"><main id=\"main-content\"><h1>No connection</h1>" +
    "<p>This page has not been opened on this phone while signed in, so it cannot be shown " +
    "with no signal. Forms for a new observation or a new entry that you opened before work " +
    "offline.</p><p>Anything you saved on this phone is kept and sent when the connection " +
    "comes back.</p></main></div></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function fromShell(request) {
  return signedIn().then(function (user) {
    if (!user) { return offlinePage(); }
    return caches.open(SHELL_PREFIX + user).then(function (cache) {
      return cache.match(request.url, { ignoreVary: true });
    }).then(function (page) { return page || offlinePage(); });
  });
}

// The network first, so a new stylesheet or script is used at once; the kept copy offline.
function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) { cache.put(request, response.clone()); }
      return response;
    }).catch(function () {
      return cache.match(request, { ignoreSearch: true }).then(function (kept) {
        return kept || Response.error();
      });
    });
  });
}

// The pages that open with no signal; every other page is left to the browser.
var SHELL_PATHS = [/^\/portfolio\/entries\/new$/, /^\/observations\/new\/\d+\/\d+$/, /^\/outbox$/];

function isShell(url) {
  return SHELL_PATHS.some(function (pattern) { return pattern.test(url.pathname); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // posts always go to the server
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && isShell(url)) {
    event.respondWith(fetch(request).catch(function () { return fromShell(request); }));
  }
});
