// The one loop every background job runs in: claim due items (the handler's
// SQL, FOR UPDATE SKIP LOCKED with a lease or inside the claiming transaction)
// → run each (the handler sends and marks it, fenced by its claim) → claim
// again. What differs between jobs is only the handler (lib/jobs/job.ts); the
// lifecycle is one: woken after a commit that wrote work (lib/jobs/wake.ts),
// polling when idle, backing off while the database is away, purging finished
// rows once an hour, and stopping gracefully (the items in flight finish, then
// the handler closes). Any number of runners may share a database: the claim
// keeps them apart, so no item runs twice at once.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { clock } from '@/lib/clock';
import { describeError, logLine } from '@/lib/log';
import type { Job } from './job';
import { setJobWake } from './wake';

export type JobRunner = {
  /** `host:pid:random`, written into the rows this runner claims. */
  id: string;
  /** Look for due items now instead of at the next poll. */
  wake(): void;
  /** Lets the items in flight finish (no new claim), then closes the handler. */
  stop(): Promise<void>;
};

export type RunnerOptions = {
  /** Also register as this process's wake-up target for the job (the app's own runner). */
  nudgeable?: boolean;
};

export const PURGE_EVERY_MS = 60 * 60_000;
/** The first purge a minute after start, not at once: a restart loop does not purge in a loop. */
const FIRST_PURGE_AFTER_MS = 60_000;
/** The most a runner waits between claims while the database fails. */
const MAX_FAILURE_BACKOFF_MS = 30_000;

/** The wait after `failures` failed claims in a row: the poll interval doubled per failure, capped. */
export function failureBackoffMs(failures: number, pollMs: number): number {
  return Math.min(MAX_FAILURE_BACKOFF_MS, pollMs * 2 ** Math.min(failures, 5));
}

export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Starts `job`'s loop; it runs until `stop()`. */
export function startJob<Item>(job: Job<Item>, options: RunnerOptions = {}): JobRunner {
  const id = workerId();
  const { concurrency, batch, pollMs } = job;
  const claimAt = Math.min(job.claimAt ?? batch, concurrency);
  let running = true;
  let woken = false;
  let inFlight = 0;
  /** The loop sleeps because too few slots are free, not because nothing was due. */
  let waitingForSlots = false;
  let lastPurge = clock().now() - PURGE_EVERY_MS + FIRST_PURGE_AFTER_MS;
  const items = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();

  const wake = () => {
    woken = true;
    for (const done of sleepers) done();
  };
  /** Until `ms` passed or the runner is woken (a commit, a freed slot, stop). */
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

  const launch = (item: Item) => {
    inFlight += 1;
    const run = job
      .run(item)
      .catch((error: unknown) => logLine('error', `${job.log}.item_crashed`, { worker: id, error: describeError(error).message }))
      .finally(() => {
        inFlight -= 1;
        items.delete(run);
        // Claim again once enough slots are free: at each freed slot when claimAt is 1 (a freed
        // slot may also free an endpoint's share), else only when the loop waits for slots.
        if (concurrency - inFlight >= claimAt && (claimAt === 1 || waitingForSlots)) wake();
      });
    items.add(run);
  };

  const purge = async () => {
    if (!job.purge || clock().now() - lastPurge <= PURGE_EVERY_MS) return;
    lastPurge = clock().now();
    const removed = await job.purge();
    if (removed > 0) logLine('info', `${job.log}.purged`, { removed });
  };

  const loop = (async () => {
    let failures = 0;
    while (running) {
      woken = false;
      const free = concurrency - inFlight;
      if (free < claimAt) {
        // Too few slots free to claim: a finishing item wakes the loop.
        waitingForSlots = true;
        await sleep(pollMs);
        waitingForSlots = false;
        continue;
      }
      try {
        const limit = Math.min(free, batch);
        const claimed = await job.claim(id, limit);
        for (const item of claimed) launch(item);
        failures = 0;
        await purge();
        // A full claim means more may be due: claim again at once while slots allow.
        if (claimed.length < limit) await sleep(pollMs);
      } catch (error) {
        // The database is away: back off and try again; nothing is lost, the rows stay in their table.
        failures += 1;
        logLine('warn', `${job.log}.round_failed`, { worker: id, error: describeError(error).message });
        await sleep(failureBackoffMs(failures, pollMs));
      }
    }
    await Promise.all(items);
  })();

  if (options.nudgeable) setJobWake(job.name, wake);
  logLine('info', `${job.log}.worker_started`, { worker: id, job: job.name, pollMs, concurrency, ...job.describe });
  return {
    id,
    wake,
    async stop() {
      running = false;
      for (const done of sleepers) done();
      if (options.nudgeable) setJobWake(job.name, null);
      await loop;
      await job.close?.();
    },
  };
}

/**
 * Claims and runs `job`'s due items in this call, one claim after another
 * until a claim comes back short (for cron routes and tests): how many it ran.
 */
export async function drainJob<Item>(job: Job<Item>, id = workerId()): Promise<number> {
  let total = 0;
  for (;;) {
    const claimed = await job.claim(id, job.batch);
    for (const item of claimed) await job.run(item);
    total += claimed.length;
    if (claimed.length < job.batch) return total;
  }
}
