// What the mail worker reports: metrics subscribe here (lib/metrics/registry.ts);
// the worker itself only logs. One set per process (a build may load this module once per bundle).
import { processSingleton } from '@/lib/process-singleton';

export type DeliveryOutcome = 'sent' | 'retry' | 'failed';
export const DELIVERY_OUTCOMES: readonly DeliveryOutcome[] = ['sent', 'retry', 'failed'];

type Listener = (outcome: DeliveryOutcome, kind: string) => void;
const listeners = processSingleton('observe.outbox', () => new Set<Listener>());

export function onDelivery(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function recordDelivery(outcome: DeliveryOutcome, kind: string): void {
  for (const listener of listeners) listener(outcome, kind);
}
