// The mail job's wake-up (lib/jobs/wake.ts), under the names its writers use:
// enqueue registers `wakeWorker` to run after the COMMIT of the transaction
// that wrote outbox rows. Only a shortcut: polling finds them within OUTBOX_POLL_MS.
import { setJobWake, wakeMail } from '@/lib/jobs/wake';

/** Wakes this process's mail runner, if one is registered. */
export const wakeWorker: () => void = wakeMail;

/** The mail runner of this process registers its wake-up here. */
export function setWake(wake: (() => void) | null): void {
  setJobWake('mail', wake);
}
