// The retry schedule of a failed item: exponential, capped, with optional
// jitter so that items failing together do not retry together.

export type Backoff = { baseMs: number; maxMs: number; /** ±fraction, 0.2 = ±20 %. */ jitter?: number };

/** base·2^(attempt-1), capped at max, then ±jitter: the wait after failed attempt `attempt` (1-based). */
export function backoffMs(attempt: number, { baseMs, maxMs, jitter = 0 }: Backoff, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - jitter + 2 * jitter * random()));
}
