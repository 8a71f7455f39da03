// What the mail worker reports: metrics subscribe here (lib/metrics/registry.ts);
// the worker itself only logs. On globalThis, like lib/idempotency/observe.ts.
export type DeliveryOutcome = 'sent' | 'retry' | 'failed';
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['sent', 'retry', 'failed'];

type Listener = (outcome: DeliveryOutcome, kind: string) => void;
const key = Symbol.for('event-app.observe.outbox');
const g = globalThis as typeof globalThis & { [key]?: Set<Listener> };
const listeners = g[key] ?? new Set<Listener>();
g[key] = listeners;

export function onDelivery(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function recordDelivery(outcome: DeliveryOutcome, kind: string): void {
  for (const listener of listeners) listener(outcome, kind);
}
