import type { Endpoint } from '@/lib/api-routes';
import { processSingleton } from '@/lib/process-singleton';

type RequestListener = (endpoint: Endpoint, status: number, durationMs: number) => void;
// One per process: a production build may hold one copy of this module per route
// bundle (and one for instrumentation.ts); listeners must reach every copy.
const listeners = processSingleton('observe.request', () => new Set<RequestListener>());

/** Metrics subscribe here: every /api request, by method, route template and status. */
export function onRequest(listener: RequestListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function observeRequest(endpoint: Endpoint, status: number, durationMs: number): void {
  for (const listener of listeners) listener(endpoint, status, durationMs);
}
