// The tickets' two jobs for the runner (lib/jobs/runner.ts): the hold sweep
// expires the holds that ran out (even if the provider never calls back), and
// the refunds job (refund-worker.ts) sends due refunds. Both run in the app's
// process (lib/worker) and in `npm run worker`; `POST /api/cron/tickets` runs
// one round of each for serverless hosts. Any number of runners may run: both
// claim rows with SKIP LOCKED.
import { getDb, type Database } from '@/lib/db/pool';
import type { Job } from '@/lib/jobs/job';
import { drainJob } from '@/lib/jobs/runner';
import { sweepIntervalMs } from './config';
import { refundsJob } from './refund-worker';
import { sweepExpiredHolds } from './orders';

/** Holds expired per transaction. */
const HOLDS_BATCH = 100;

/**
 * The hold sweep: claiming is the work. Expired holds are locked (SKIP LOCKED)
 * and expired in one transaction, whose row locks are the lease; the claim
 * answers one entry per hold it expired, and running one is a no-op.
 */
export function holdsJob(db: Database): Job<number> {
  return {
    name: 'holds',
    log: 'tickets.holds',
    async claim(_workerId, limit) {
      const expired = await db.transaction((tx) => sweepExpiredHolds(tx, limit));
      return Array.from({ length: expired }, (_, i) => i);
    },
    run: async () => undefined,
    concurrency: HOLDS_BATCH,
    batch: HOLDS_BATCH,
    pollMs: sweepIntervalMs(),
  };
}

/** One round of each: every hold due now expired, every refund due now sent. */
export async function runTicketRound(db: Database = getDb()): Promise<{ expired: number; refunds: number }> {
  const expired = await drainJob(holdsJob(db));
  const refunds = await drainJob(refundsJob(db));
  return { expired, refunds };
}
