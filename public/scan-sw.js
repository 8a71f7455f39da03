// The door scanner's service worker (docs/api.md, "Door check-in"). Registered
// by /events/<id>/scan with that page as its scope, so it controls the scanner
// and nothing else of the app. It keeps the scanner's HTML (network first, the
// last good copy when offline) and the build's static files it loads (cache
// first: their names carry a content hash). The ticket list and the queue of
// scans live in IndexedDB, written by the page; API calls always go to the network.
const CACHE = 'door-scanner-v1';

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith('door-scanner-') && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

const pageKey = (url) => {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
};

const cacheable = (response) => response?.ok && !response.redirected && response.type === 'basic';

// The page, once loaded, names the files it runs on (its HTML, scripts, styles):
// the first load happened before this worker controlled it.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'cache-urls' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        data.urls.map(async (url) => {
          try {
            const target = new URL(url, self.location.origin);
            if (target.origin !== self.location.origin) return;
            const isPage = !target.pathname.startsWith('/_next/');
            if (!isPage && (await cache.match(target.href))) return;
            const response = await fetch(target.href, { credentials: 'same-origin', cache: 'no-store' });
            if (cacheable(response)) await cache.put(isPage ? pageKey(target.href) : target.href, response);
          } catch {
            // Offline or gone: the next load tries again.
          }
        }),
      );
      if (event.source) event.source.postMessage({ type: 'cached', count: data.urls.length });
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const response = await fetch(request);
          if (cacheable(response)) await cache.put(pageKey(request.url), response.clone());
          return response;
        } catch (error) {
          const cached = await cache.match(pageKey(request.url));
          if (cached) return cached;
          throw error;
        }
      })(),
    );
    return;
  }
  if (url.pathname.startsWith('/_next/static/') || url.pathname === '/icon.svg') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const cached = await cache.match(request.url);
        if (cached) return cached;
        const response = await fetch(request);
        if (cacheable(response)) await cache.put(request.url, response.clone());
        return response;
      })(),
    );
  }
});
