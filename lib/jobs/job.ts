// What a background job hands the runner (lib/jobs/runner.ts): its own claim
// SQL and its own way of running and marking one item. The table, the lease
// and the retry schedule stay with the job's domain; the loop is the runner's.

/** The jobs of this app, by the name `npm run worker -- <name>` and the switches use. */
export const JOB_NAMES = ['mail', 'webhooks', 'holds', 'refunds'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export type Job<Item> = {
  name: JobName;
  /** Prefix of the job's log events (`<log>.worker_started`, `<log>.round_failed`, …). */
  log: string;
  /**
   * Takes up to `limit` due items for `workerId`: FOR UPDATE SKIP LOCKED, so
   * two runners never take one item, and a lease (or the claiming transaction
   * itself, for work done inside it) so a killed runner's items come back.
   */
  claim(workerId: string, limit: number): Promise<Item[]>;
  /** Runs one claimed item and marks it, fenced by its claim; a throw is logged and the lease brings the item back. */
  run(item: Item): Promise<void>;
  /** Items in flight at once in one runner. */
  concurrency: number;
  /** The most one claim takes. */
  batch: number;
  /** Claim only once this many slots are free (default `batch`): 1 refills each freed slot at once. */
  claimAt?: number;
  /** How long an idle runner waits before it looks again (it is also woken after commits that wrote work). */
  pollMs: number;
  /** Retention, run about once an hour: deletes finished rows, answers how many. */
  purge?(): Promise<number>;
  /** Once, when the runner stopped (an SMTP pool closes). */
  close?(): void | Promise<void>;
  /** Extra fields for the `worker_started` log line. */
  describe?: Record<string, unknown>;
};
