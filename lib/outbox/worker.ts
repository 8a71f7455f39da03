// The outbox worker: claims due outbox rows (FOR UPDATE SKIP LOCKED + a lease,
// lib/outbox/store.ts), hands each to its sender (the mail side,
// lib/mail/worker.ts, renders and sends over SMTP), then marks it sent.
// At-least-once: a worker killed between the sender's acceptance and the
// mark leaves the row `sending`; once its lease lapses another worker sends it
// again (the mail keeps its Message-ID). Failures retry with exponential
// backoff and stop at maxAttempts (`failed`, last_error kept).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queryable } from '@/lib/db/pool';
import { describeError, logLine } from '@/lib/log';
import { outboxConfig, retryDelayMs, type OutboxConfig } from './config';
import { faultAfterSmtpAccept } from './faults';
import { setWake } from './wake';
import { recordDelivery } from './observe';
import { claimDue, markFailed, markSent, purgeFinished, type Claimed } from './store';

/** Delivers claimed rows: `send` resolves once the receiving side accepted the message and throws to retry. */
export type OutboxSender = {
  send(row: Claimed): Promise<void>;
  /** Called once when the worker stops. */
  close(): void;
};

export type OutboxWorker = {
  id: string;
  /** Look for due rows now instead of at the next poll. */
  wake(): void;
  /** Finishes the round in flight, then stops; closes the SMTP pool. */
  stop(): Promise<void>;
};

export type WorkerOptions = {
  db: Queryable;
  config?: OutboxConfig;
  sender: OutboxSender;
  /** Also register as this process's wake-up target (the in-process worker of the app). */
  nudgeable?: boolean;
};

const PURGE_EVERY_MS = 60 * 60_000;

/** One message: send, mark. Never throws; returns what happened. */
async function deliver(db: Queryable, row: Claimed, sender: OutboxSender, config: OutboxConfig): Promise<'sent' | 'retry' | 'failed' | 'lost'> {
  try {
    await sender.send(row);
    await faultAfterSmtpAccept();
    const kept = await markSent(db, row);
    if (!kept) logLine('warn', 'outbox.lease_lost', { id: row.id, attempt: row.attempts });
    return kept ? 'sent' : 'lost';
  } catch (error) {
    const giveUp = row.attempts >= config.maxAttempts;
    const message = describeError(error).message;
    const retryInMs = retryDelayMs(row.attempts, config);
    const kept = await markFailed(db, row, message, { giveUp, retryInMs }).catch(() => false);
    logLine(giveUp ? 'error' : 'warn', giveUp ? 'outbox.failed' : 'outbox.retry', {
      id: row.id,
      kind: row.kind,
      attempt: row.attempts,
      error: message,
      ...(!giveUp && { retryInMs }),
    });
    if (!kept) return 'lost';
    return giveUp ? 'failed' : 'retry';
  }
}

export function startOutboxWorker(options: WorkerOptions): OutboxWorker {
  const config = options.config ?? outboxConfig();
  const { db, sender } = options;
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let running = true;
  let woken = false;
  let lastPurge = Date.now() - PURGE_EVERY_MS + 60_000; // the first purge a minute after start
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

  async function round(): Promise<number> {
    woken = false;
    const claimed = await claimDue(db, id, config.batchSize, config.leaseMs);
    const results = await Promise.all(claimed.map((row) => deliver(db, row, sender, config)));
    results.forEach((result, i) => {
      const row = claimed[i];
      if (row && result !== 'lost') recordDelivery(result, row.kind);
    });
    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      const removed = await purgeFinished(db);
      if (removed > 0) logLine('info', 'outbox.purged', { removed });
    }
    return claimed.length;
  }

  // Lanes share the sender (the SMTP pool); SKIP LOCKED keeps their claims apart as it does between workers.
  const lane = async () => {
    let failures = 0;
    while (running) {
      try {
        const n = await round();
        failures = 0;
        if (n < config.batchSize) await sleep(config.pollMs);
      } catch (error) {
        // The database is away: back off (up to 30 s) and try again; nothing is lost, rows stay in the table.
        failures += 1;
        logLine('warn', 'outbox.round_failed', { worker: id, error: describeError(error).message });
        await sleep(Math.min(30_000, config.pollMs * 2 ** Math.min(failures, 5)));
      }
    }
  };
  const loop = Promise.all(Array.from({ length: Math.max(1, config.lanes) }, lane));

  if (options.nudgeable) setWake(wake);
  logLine('info', 'outbox.worker_started', { worker: id, pollMs: config.pollMs, leaseMs: config.leaseMs, lanes: config.lanes });
  return {
    id,
    wake,
    async stop() {
      running = false;
      for (const done of sleepers) done();
      if (options.nudgeable) setWake(null);
      await loop;
      sender.close();
    },
  };
}
