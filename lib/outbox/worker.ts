// The outbox as a job of the runner (lib/jobs/runner.ts): claims due outbox
// rows (FOR UPDATE SKIP LOCKED + a lease, lib/outbox/store.ts), hands each to
// its sender (the mail side, lib/mail/worker.ts, renders and sends over SMTP),
// then marks it sent. At-least-once: a worker killed between the sender's
// acceptance and the mark leaves the row `sending`; once its lease lapses
// another worker sends it again (the mail keeps its Message-ID). Failures
// retry with exponential backoff and stop at maxAttempts (`failed`, last_error kept).
import type { Queryable } from '@/lib/db/pool';
import type { Job } from '@/lib/jobs/job';
import { startJob, type JobRunner } from '@/lib/jobs/runner';
import { describeError, logLine } from '@/lib/log';
import { outboxConfig, retryDelayMs, type OutboxConfig } from './config';
import { faultAfterSmtpAccept } from './faults';
import { recordDelivery } from './observe';
import { claimDue, markFailed, markSent, purgeFinished, type Claimed } from './store';

/** Delivers claimed rows: `send` resolves once the receiving side accepted the message and throws to retry. */
export type OutboxSender = {
  send(row: Claimed): Promise<void>;
  /** Called once when the worker stops. */
  close(): void;
};

export type OutboxWorker = JobRunner;

export type WorkerOptions = {
  db: Queryable;
  config?: OutboxConfig;
  sender: OutboxSender;
  /** Also register as this process's wake-up target (the in-process worker of the app). */
  nudgeable?: boolean;
};

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

/**
 * The mail job: `lanes` batches of `batchSize` in flight, a batch claimed
 * once as many slots are free, so while one batch waits for its slowest send
 * another is claimed; all share the sender (the SMTP pool).
 */
export function outboxJob({ db, sender, config = outboxConfig() }: Omit<WorkerOptions, 'nudgeable'>): Job<Claimed> {
  const lanes = Math.max(1, config.lanes);
  return {
    name: 'mail',
    log: 'outbox',
    claim: (workerId, limit) => claimDue(db, workerId, limit, config.leaseMs),
    async run(row) {
      const result = await deliver(db, row, sender, config);
      if (result !== 'lost') recordDelivery(result, row.kind);
    },
    concurrency: lanes * config.batchSize,
    batch: config.batchSize,
    pollMs: config.pollMs,
    purge: () => purgeFinished(db),
    close: () => sender.close(),
    describe: { leaseMs: config.leaseMs, lanes },
  };
}

export function startOutboxWorker(options: WorkerOptions): OutboxWorker {
  return startJob(outboxJob(options), { nudgeable: options.nudgeable ?? false });
}
