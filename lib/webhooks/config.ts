// The webhook job's settings, from the one config (lib/config.ts; docs/api.md,
// "Integrations"; docs/ssot, "Outbox standard", webhooks).
import { config } from '@/lib/config';

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

function schedule(raw: string | undefined): number[] {
  const seconds = raw ? raw.split(',').map((s) => Number(s.trim())) : DEFAULT_RETRY_SCHEDULE_SECONDS;
  if (seconds.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error(`WEBHOOKS_RETRY_SCHEDULE must be positive seconds, comma-separated, got ${JSON.stringify(raw)}`);
  return seconds.map((s) => Math.round(s * 1000));
}

export function allowPrivateTargets(): boolean {
  return config().WEBHOOKS_ALLOW_PRIVATE;
}

export function webhookConfig(): WebhookConfig {
  const env = config();
  const timeoutMs = env.WEBHOOKS_TIMEOUT_MS;
  return {
    timeoutMs,
    leaseMs: Math.max(env.WEBHOOKS_LEASE_MS, 2 * timeoutMs),
    pollMs: env.WEBHOOKS_POLL_MS,
    concurrency: Math.round(env.WEBHOOKS_CONCURRENCY),
    perEndpoint: Math.round(env.WEBHOOKS_PER_ENDPOINT),
    retryScheduleMs: schedule(env.WEBHOOKS_RETRY_SCHEDULE),
    allowPrivate: env.WEBHOOKS_ALLOW_PRIVATE,
    keepDays: 30,
  };
}

/** The wait after failed attempt `attempt` (1-based), ±10 %; null when it was the last. */
export function retryDelayAfter(attempt: number, config: Pick<WebhookConfig, 'retryScheduleMs'>, random = Math.random): number | null {
  const base = config.retryScheduleMs[attempt - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * random()));
}
