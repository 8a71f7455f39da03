// The app's background jobs by name, each with its switch: what `npm run
// worker [-- name…]` and the server process (instrumentation.ts) start. One
// loop runs them all (lib/jobs/runner.ts); each job's handler stays beside its
// domain: mail (lib/mail/worker.ts over the outbox), webhook deliveries
// (lib/webhooks/worker.ts), hold sweeps and refunds (lib/tickets/worker.ts,
// refund-worker.ts).
import { config, type Config } from '@/lib/config';
import type { Database } from '@/lib/db/pool';
import { JOB_NAMES, type Job, type JobName } from '@/lib/jobs/job';
import { startJob, type JobRunner, type RunnerOptions } from '@/lib/jobs/runner';
import { mailJob } from '@/lib/mail/worker';
import { outboxConfig } from '@/lib/outbox/config';
import { refundsJob } from '@/lib/tickets/refund-worker';
import { holdsJob } from '@/lib/tickets/worker';
import { webhookJob } from '@/lib/webhooks/worker';

export { JOB_NAMES, type JobName };

/** A job ready to start, or why it cannot run here. */
export type JobPlan = { name: JobName; start(options?: RunnerOptions): JobRunner } | { name: JobName; unavailable: string };

type JobSpec = {
  /** The variable that turns the job off in the server process. */
  switchOf(env: Config): { variable: string; on: boolean };
  make(db: Database): Starter | { unavailable: string };
};

type Starter = { start(options?: RunnerOptions): JobRunner };

/** Keeps each job's item type inside the closure: the runner passes items only from its claim to its run. */
function starter<Item>(job: Job<Item>): Starter {
  return { start: (options) => startJob(job, options) };
}

const SPECS: Record<JobName, JobSpec> = {
  mail: {
    switchOf: (env) => ({ variable: 'OUTBOX_WORKER', on: env.OUTBOX_WORKER === 'on' }),
    make(db) {
      const settings = outboxConfig();
      if (!settings.smtpUrl) return { unavailable: 'SMTP_URL is not set: mail stays in the outbox until a worker with SMTP_URL runs' };
      return starter(mailJob({ db, config: settings }));
    },
  },
  webhooks: {
    switchOf: (env) => ({ variable: 'WEBHOOK_WORKER', on: env.WEBHOOK_WORKER === 'on' }),
    make: (db) => starter(webhookJob({ db })),
  },
  holds: {
    switchOf: (env) => ({ variable: env.HOLDS_WORKER ? 'HOLDS_WORKER' : 'TICKETS_WORKER', on: (env.HOLDS_WORKER ?? env.TICKETS_WORKER) === 'on' }),
    make: (db) => starter(holdsJob(db)),
  },
  refunds: {
    switchOf: (env) => ({ variable: env.REFUNDS_WORKER ? 'REFUNDS_WORKER' : 'TICKETS_WORKER', on: (env.REFUNDS_WORKER ?? env.TICKETS_WORKER) === 'on' }),
    make: (db) => starter(refundsJob(db)),
  },
};

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

/** The switch of `name` in this environment (`OUTBOX_WORKER=off` turns off mail only). */
export function jobSwitch(name: JobName): { variable: string; on: boolean } {
  return SPECS[name].switchOf(config());
}

/** The jobs `names` over `db`, each made or with the reason it cannot run. */
export function planJobs(db: Database, names: readonly JobName[]): JobPlan[] {
  return names.map((name) => {
    const made = SPECS[name].make(db);
    return 'unavailable' in made ? { name, unavailable: made.unavailable } : { name, start: made.start };
  });
}
