// The service worker (public/scan-sw.js) keeps this page and its files for
// offline loads; it is scoped to this scanner's own path, and told which files
// the page runs on once it is active. True once it says it has them.
import { useEffect, useState } from 'react';

/** `scope`: the scanner page's own path (`/events/<id>/scan`, or a door device's `/door/<id>`). */
export function useOfflineCache(scope: string): boolean {
  const [offlineReady, setOfflineReady] = useState(false);

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    const onMessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'cached') setOfflineReady(true);
    };
    navigator.serviceWorker.addEventListener('message', onMessage);
    navigator.serviceWorker.startMessages();
    (async () => {
      try {
        await navigator.serviceWorker.register('/scan-sw.js', { scope });
        const registration = await navigator.serviceWorker.ready;
        const files = [
          window.location.href,
          ...Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'), (s) => s.src),
          ...Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"], link[rel="preload"], link[rel="modulepreload"]'), (l) => l.href),
          ...performance.getEntriesByType('resource').map((e) => e.name).filter((name) => name.includes('/_next/static/')),
        ];
        registration.active?.postMessage({ type: 'cache-urls', urls: [...new Set(files)] });
      } catch {
        // No service worker (private mode, an old browser): the page still works while it stays open.
      }
    })();
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [scope]);

  return offlineReady;
}
