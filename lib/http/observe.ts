type RequestListener = (route: string, status: number, durationMs: number) => void;
const listeners = new Set<RequestListener>();

/** Metrics subscribe here: every /api request, by route template and status. */
export function onRequest(listener: RequestListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function observeRequest(route: string, status: number, durationMs: number): void {
  for (const listener of listeners) listener(route, status, durationMs);
}
