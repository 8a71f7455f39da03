import type { Endpoint } from '@/lib/api-routes';

type RequestListener = (endpoint: Endpoint, status: number, durationMs: number) => void;
// On globalThis: a production build may hold one copy of this module per route
// bundle (and one for instrumentation.ts); listeners must reach every copy.
const listenersKey = Symbol.for('event-app.observe.request');
const processWide = globalThis as typeof globalThis & { [listenersKey]?: Set<RequestListener> };
const listeners = processWide[listenersKey] ?? new Set<RequestListener>();
processWide[listenersKey] = listeners;

/** Metrics subscribe here: every /api request, by method, route template and status. */
export function onRequest(listener: RequestListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function observeRequest(endpoint: Endpoint, status: number, durationMs: number): void {
  for (const listener of listeners) listener(endpoint, status, durationMs);
}
