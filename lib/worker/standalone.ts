// `npm run worker [-- job…]`: the background jobs in a process of their own,
// on their own pool (the app's server process runs the same jobs unless their
// switches are off: lib/worker/in-process.ts). With no names it runs every job
// that can run here (mail needs SMTP_URL); named, each must. Any number of
// workers may run against one database (FOR UPDATE SKIP LOCKED + a lease).
// SIGTERM / Ctrl-C let the items in flight finish, then the process exits.
import { config } from '@/lib/config';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import { createDatabase, createPool } from '@/lib/db/pool';
import type { JobRunner } from '@/lib/jobs/runner';
import { JOB_NAMES, isJobName, planJobs, type JobName } from './jobs';

/** A standalone worker's connections, unless DATABASE_POOL_MAX says otherwise: a few claims and marks at a time. */
const WORKER_POOL_MAX = 4;

function fail(message: string): never {
  console.error(`${label}: ${message}`);
  process.exit(2);
}

const label = 'worker';

/** Runs the jobs `args` names (all when none) until SIGTERM or SIGINT. */
export function runWorkerProcess(args: readonly string[]): void {
  const unknown = args.filter((name) => !isJobName(name));
  if (unknown.length > 0) fail(`unknown job ${unknown.join(', ')} (the jobs: ${JOB_NAMES.join(', ')})`);
  const named = args.filter(isJobName);
  const env = config();
  const url = env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set (the embedded database of npm run dev already runs its jobs inside the app)');
  if (isEmbeddedUrl(url)) fail("the embedded database takes one connection, the app's; its jobs run inside the app");

  const pool = createPool(url, process.env.DATABASE_POOL_MAX ? env.DATABASE_POOL_MAX : WORKER_POOL_MAX);
  const names: readonly JobName[] = named.length > 0 ? named : JOB_NAMES;
  const plans = planJobs(createDatabase(pool), names);
  const runners: JobRunner[] = [];
  for (const plan of plans) {
    if ('unavailable' in plan) {
      if (named.length > 0) fail(plan.unavailable);
      console.error(`${label}: ${plan.name} skipped: ${plan.unavailable}`);
      continue;
    }
    runners.push(plan.start());
  }
  if (runners.length === 0) fail('no job can run here');
  console.log(`${label}: ${plans.filter((p) => !('unavailable' in p)).map((p) => p.name).join(', ')} running. Stop with Ctrl-C.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(runners.map((runner) => runner.stop()));
    await pool.end();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
