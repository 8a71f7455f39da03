// The in-process wake-up of each job: code that writes work registers the
// job's waker to run after its transaction's COMMIT (afterCommit in
// lib/db/transaction.ts), and the runner of this process registered for the
// job looks at once. Only a shortcut: without it the runner's poll finds the
// work within its interval. One map per process, whichever bundle loads this module.
import { processSingleton } from '@/lib/process-singleton';
import type { JobName } from './job';

type Wakes = Map<JobName, () => void>;
type Wakers = Map<JobName, () => void>;

const targets = () => processSingleton<Wakes>('jobs.wake', () => new Map());
const wakers = () => processSingleton<Wakers>('jobs.wakers', () => new Map());

/** Registers (or with null removes) this process's runner of `job` as the one to wake. */
export function setJobWake(job: JobName, wake: (() => void) | null): void {
  if (wake) targets().set(job, wake);
  else targets().delete(job);
}

/**
 * The one function that wakes `job`'s runner, the same each call: afterCommit
 * runs a callback registered twice in one transaction once.
 */
export function jobWaker(job: JobName): () => void {
  let waker = wakers().get(job);
  if (!waker) {
    waker = () => targets().get(job)?.();
    wakers().set(job, waker);
  }
  return waker;
}

/** After-commit callbacks of the writers of work: `afterCommit(tx, wakeRefunds)`. */
export const wakeMail: () => void = jobWaker('mail');
export const wakeWebhooks: () => void = jobWaker('webhooks');
export const wakeRefunds: () => void = jobWaker('refunds');
