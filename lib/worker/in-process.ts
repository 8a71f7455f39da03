// The background jobs inside the app's server process (instrumentation.ts), so
// `npm run dev` and `npm start` deliver mail and webhooks, expire holds and
// send refunds with nothing else to run. They share the process's pool (on the
// embedded PGlite, the one connection) and are woken right after a commit that
// wrote their work (lib/jobs/wake.ts). Each job's switch (lib/worker/jobs.ts)
// leaves it to `npm run worker` processes or, for the tickets, to
// `POST /api/cron/tickets`. They stop with the process (no signal handler of
// their own): an item in flight is taken again after its lease.
import { getDb } from '@/lib/db/pool';
import type { JobRunner } from '@/lib/jobs/runner';
import { logLine } from '@/lib/log';
import { processSingleton } from '@/lib/process-singleton';
import { JOB_NAMES, jobSwitch, planJobs } from './jobs';

/** Starts the jobs whose switch is on, once per process, whatever reloads. */
export function installJobs(): JobRunner[] {
  return processSingleton('jobs.in-process', () => {
    const wanted = JOB_NAMES.filter((name) => {
      const { variable, on } = jobSwitch(name);
      if (!on) logLine('info', 'jobs.off', { job: name, reason: `${variable}=off` });
      return on;
    });
    const runners: JobRunner[] = [];
    for (const plan of planJobs(getDb(), wanted)) {
      if ('unavailable' in plan) logLine('warn', 'jobs.off', { job: plan.name, reason: plan.unavailable });
      else runners.push(plan.start({ nudgeable: true }));
    }
    return runners;
  });
}
