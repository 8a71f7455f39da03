// The webhook worker: claims due deliveries (lib/webhooks/store.ts), signs
// each (Standard Webhooks, the `standardwebhooks` package), posts it to the
// endpoint's checked address (lib/webhooks/address.ts, send.ts) and marks it.
// Each delivery runs on its own, up to `concurrency` at once and
// `perEndpoint` per endpoint: a finished one frees its slot at once, so a
// receiver that takes the full 10 s delays nobody else. It runs beside the
// mail worker, on its own table, so mail never waits for a webhook either.
// At-least-once: killed between the receiver's answer and the mark, the row
// stays `sending` until its lease lapses and is sent again with the same
// `webhook-id`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import type { Queryable } from '@/lib/db/pool';
import { describeError, logLine } from '@/lib/log';
import { resolveTarget } from './address';
import { retryDelayAfter, webhookConfig, type WebhookConfig } from './config';
import { describeDeliveryError, postTo } from './send';
import { claimDueDeliveries, markAttemptFailed, markDelivered, markGone, purgeFinishedDeliveries, type ClaimedDelivery } from './store';
import { setWebhookWake } from './wake';

export type WebhookWorker = { id: string; wake(): void; stop(): Promise<void> };

const PURGE_EVERY_MS = 60 * 60_000;

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

export function startWebhookWorker(options: { db: Queryable; config?: WebhookConfig; nudgeable?: boolean }): WebhookWorker {
  const config = options.config ?? webhookConfig();
  const { db } = options;
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running = true;
  let woken = false;
  let inFlight = 0;
  const deliveries = new Set<Promise<void>>();
  let lastPurge = Date.now() - PURGE_EVERY_MS + 60_000;
  const sleepers = new Set<() => void>();
  const wake = () => {
    woken = true;
    for (const done of sleepers) done();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      }
      sleepers.add(done);
    });

  const launch = (row: ClaimedDelivery) => {
    inFlight += 1;
    const delivery = attempt(db, row, config)
      .then((outcome) => {
        if (outcome === 'gone') logLine('warn', 'webhooks.endpoint_disabled', { endpoint: row.endpointId, reason: '410 Gone' });
      })
      .catch((error) => logLine('error', 'webhooks.attempt_crashed', { id: row.id, error: describeError(error).message }))
      .finally(() => {
        inFlight -= 1;
        deliveries.delete(delivery);
        wake(); // a slot is free
      });
    deliveries.add(delivery);
  };

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        woken = false;
        const free = config.concurrency - inFlight;
        const claimed = await claimDueDeliveries(db, { workerId: id, limit: free, leaseMs: config.leaseMs, perEndpoint: config.perEndpoint });
        for (const row of claimed) launch(row);
        failures = 0;
        if (Date.now() - lastPurge > PURGE_EVERY_MS) {
          lastPurge = Date.now();
          const removed = await purgeFinishedDeliveries(db, config.keepDays);
          if (removed > 0) logLine('info', 'webhooks.purged', { removed });
        }
        if (claimed.length === 0 || inFlight >= config.concurrency) await sleep(config.pollMs);
      } catch (error) {
        failures += 1;
        logLine('warn', 'webhooks.round_failed', { worker: id, error: describeError(error).message });
        await sleep(Math.min(30_000, config.pollMs * 2 ** Math.min(failures, 5)));
      }
    }
  })();

  if (options.nudgeable) setWebhookWake(wake);
  logLine('info', 'webhooks.worker_started', { worker: id, pollMs: config.pollMs, concurrency: config.concurrency });
  return {
    id,
    wake,
    async stop() {
      running = false;
      for (const done of sleepers) done();
      if (options.nudgeable) setWebhookWake(null);
      await loop;
      await Promise.all(deliveries);
    },
  };
}
