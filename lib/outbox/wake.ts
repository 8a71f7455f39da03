// An in-process wake-up for the mail worker: enqueue registers it to run after
// the COMMIT of the transaction that wrote outbox rows (lib/db/transaction.ts,
// afterCommit), whoever opened that transaction. Only a shortcut: without it
// the worker's polling finds the rows within OUTBOX_POLL_MS.
// On globalThis, because a production build may load this module once per bundle.
type WakeState = { wake: (() => void) | null };

const key = Symbol.for('event-app.outbox.wake');
const g = globalThis as typeof globalThis & { [key]?: WakeState };
const state: WakeState = g[key] ?? { wake: null };
g[key] = state;

/** Wakes this process's worker, if one is registered. */
export function wakeWorker(): void {
  state.wake?.();
}

/** The worker of this process registers its wake-up here. */
export function setWake(wake: (() => void) | null): void {
  state.wake = wake;
}
