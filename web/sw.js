// sw.js — the service worker: keeps the versioned app shell available offline.
//
// On install it precaches every file of this shell version (the build stamps the version and the
// list); on activate it deletes older versions. Shell files are served cache-first, so the portal
// opens with no network. Files fetched later (the CJK font) are cached as they are used.
// The sync API and /healthz always go to the network: they must never be answered from a cache.
'use strict';
const VERSION = '@LB_SHELL_VERSION@';
const CACHE = 'lifebuoy-shell-' + VERSION;
const PRECACHE = @LB_PRECACHE@;
const NETWORK_ONLY = ['/api/', '/healthz', '/metrics'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('lifebuoy-shell-') && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(event.request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(event.request);
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  }));
});
