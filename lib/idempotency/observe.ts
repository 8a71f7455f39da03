import { logLine } from '@/lib/log';
import { processSingleton } from '@/lib/process-singleton';

export const IDEMPOTENCY_OUTCOMES = [
  'stored',
  'replayed',
  'in_progress',
  'mismatch',
  'taken_over',
  'failed',
  'awaiting_confirmation',
] as const;
export type IdempotencyOutcome = (typeof IDEMPOTENCY_OUTCOMES)[number];

export type OutcomeRecord = {
  route: string;
  key: string;
  outcome: IdempotencyOutcome;
  status: number;
  started: number;
  attempt?: number;
  leaseLost?: boolean;
};

type Listener = (record: OutcomeRecord & { durationMs: number }) => void;
// One per process: a production build may hold one copy of this module per
// route bundle (and one for instrumentation.ts); listeners must reach every copy.
const listeners = processSingleton('observe.idempotency', () => new Set<Listener>());

/** Metrics subscribe here; the layer itself only logs. */
export function onIdempotencyOutcome(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** One structured line per request through the layer. */
export function recordOutcome(record: OutcomeRecord): void {
  const durationMs = Math.round((performance.now() - record.started) * 10) / 10;
  const { started: _started, ...fields } = record;
  logLine('info', 'idempotency', { ...fields, durationMs });
  for (const listener of listeners) listener({ ...record, durationMs });
}
