// The webhook job of the runner (lib/jobs/runner.ts): claims due deliveries (lib/webhooks/store.ts), signs
// each (Standard Webhooks, the `standardwebhooks` package), posts it to the
// endpoint's checked address (lib/webhooks/address.ts, send.ts) and marks it.
// Each delivery runs on its own, up to `concurrency` at once and
// `perEndpoint` per endpoint: a finished one frees its slot at once, so a
// receiver that takes the full 10 s delays nobody else. It runs beside the
// mail worker, on its own table, so mail never waits for a webhook either.
// At-least-once: killed between the receiver's answer and the mark, the row
// stays `sending` until its lease lapses and is sent again with the same
// `webhook-id`.
import { Webhook } from 'standardwebhooks';
import type { Queryable } from '@/lib/db/pool';
import type { Job } from '@/lib/jobs/job';
import { startJob, type JobRunner } from '@/lib/jobs/runner';
import { logLine } from '@/lib/log';
import { resolveTarget } from './address';
import { retryDelayAfter, webhookConfig, type WebhookConfig } from './config';
import { describeDeliveryError, postTo } from './send';
import { claimDueDeliveries, markAttemptFailed, markDelivered, markGone, purgeFinishedDeliveries, type ClaimedDelivery } from './store';

export type WebhookWorker = JobRunner;

/** The three Standard Webhooks headers for one attempt (a fresh timestamp, the message's id). */
export function signedHeaders(row: Pick<ClaimedDelivery, 'messageId' | 'secret'>, body: string, at = new Date()): Record<string, string> {
  return {
    'webhook-id': row.messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(row.secret).sign(row.messageId, at, body),
  };
}

type Outcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'lost';

async function attempt(db: Queryable, row: ClaimedDelivery, config: WebhookConfig): Promise<Outcome> {
  const body = JSON.stringify(row.payload);
  let statusCode: number | null = null;
  let error: string;
  try {
    const target = await resolveTarget(row.url, config.allowPrivate);
    statusCode = await postTo(target, body, signedHeaders(row, body), config.timeoutMs);
    if (statusCode >= 200 && statusCode < 300) return (await markDelivered(db, row, statusCode)) ? 'delivered' : 'lost';
    if (statusCode === 410) return (await markGone(db, row)) ? 'gone' : 'lost';
    error = `HTTP ${statusCode}`;
  } catch (thrown) {
    // Never the thrown message: it names the address a host resolved to, or OpenSSL's internals.
    error = describeDeliveryError(thrown);
  }
  const retryInMs = retryDelayAfter(row.attempts, config);
  const kept = await markAttemptFailed(db, row, { statusCode, error, retryInMs }).catch(() => false);
  logLine(retryInMs === null ? 'error' : 'warn', retryInMs === null ? 'webhooks.failed' : 'webhooks.retry', {
    id: row.id,
    endpoint: row.endpointId,
    attempt: row.attempts,
    error,
    ...(retryInMs !== null && { retryInMs }),
  });
  if (!kept) return 'lost';
  return retryInMs === null ? 'failed' : 'retry';
}

/**
 * The webhook job: each delivery runs on its own, up to `concurrency` at once,
 * a freed slot refilled at once, `perEndpoint` per endpoint across workers.
 */
export function webhookJob({ db, config = webhookConfig() }: { db: Queryable; config?: WebhookConfig }): Job<ClaimedDelivery> {
  return {
    name: 'webhooks',
    log: 'webhooks',
    claim: (workerId, limit) => claimDueDeliveries(db, { workerId, limit, leaseMs: config.leaseMs, perEndpoint: config.perEndpoint }),
    async run(row) {
      const outcome = await attempt(db, row, config);
      if (outcome === 'gone') logLine('warn', 'webhooks.endpoint_disabled', { endpoint: row.endpointId, reason: '410 Gone' });
    },
    concurrency: config.concurrency,
    batch: config.concurrency,
    claimAt: 1,
    pollMs: config.pollMs,
    purge: () => purgeFinishedDeliveries(db, config.keepDays),
  };
}

export function startWebhookWorker(options: { db: Queryable; config?: WebhookConfig; nudgeable?: boolean }): WebhookWorker {
  return startJob(webhookJob(options), { nudgeable: options.nudgeable ?? false });
}
