// The webhook worker's settings, read from the environment once per call
// (docs/api.md, "Integrations"; docs/ssot, "Outbox standard", webhooks).
export type WebhookConfig = {
  /** No answer within this is a failed attempt (10 s). */
  timeoutMs: number;
  /** A claimed delivery is ours this long; at least twice the timeout, so a live worker finishes first. */
  leaseMs: number;
  /** How often an idle worker looks for due deliveries (it is also woken after each commit that wrote some). */
  pollMs: number;
  /** Deliveries in flight per worker, all endpoints together. */
  concurrency: number;
  /** Deliveries in flight per endpoint, all workers together: a slow receiver holds at most these. */
  perEndpoint: number;
  /** The wait after each failed attempt; one attempt more than entries, then `failed`. */
  retryScheduleMs: number[];
  /** WEBHOOKS_ALLOW_PRIVATE=1: private, loopback and link-local targets allowed, over http too. */
  allowPrivate: boolean;
  /** Finished deliveries are deleted after this many days. */
  keepDays: number;
};

/** Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27.6 hours in all, 8 attempts). */
export const DEFAULT_RETRY_SCHEDULE_SECONDS = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

function schedule(): number[] {
  const raw = process.env.WEBHOOKS_RETRY_SCHEDULE;
  const seconds = raw ? raw.split(',').map((s) => Number(s.trim())) : DEFAULT_RETRY_SCHEDULE_SECONDS;
  if (seconds.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error(`WEBHOOKS_RETRY_SCHEDULE must be positive seconds, comma-separated, got ${JSON.stringify(raw)}`);
  return seconds.map((s) => Math.round(s * 1000));
}

export function allowPrivateTargets(): boolean {
  return process.env.WEBHOOKS_ALLOW_PRIVATE === '1';
}

export function webhookConfig(): WebhookConfig {
  const timeoutMs = positive('WEBHOOKS_TIMEOUT_MS', 10_000);
  return {
    timeoutMs,
    leaseMs: Math.max(positive('WEBHOOKS_LEASE_MS', 60_000), 2 * timeoutMs),
    pollMs: positive('WEBHOOKS_POLL_MS', 1000),
    concurrency: Math.round(positive('WEBHOOKS_CONCURRENCY', 16)),
    perEndpoint: Math.round(positive('WEBHOOKS_PER_ENDPOINT', 4)),
    retryScheduleMs: schedule(),
    allowPrivate: allowPrivateTargets(),
    keepDays: 30,
  };
}

/** The wait after failed attempt `attempt` (1-based), ±10 %; null when it was the last. */
export function retryDelayAfter(attempt: number, config: Pick<WebhookConfig, 'retryScheduleMs'>, random = Math.random): number | null {
  const base = config.retryScheduleMs[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}
