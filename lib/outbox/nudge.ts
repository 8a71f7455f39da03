// An in-process wake-up for the mail worker after a commit that wrote outbox
// rows: enqueue notes it, and the idempotency layer's outcome hook (which runs
// after COMMIT) wakes the worker of this process. Only a shortcut: without it
// the worker's polling finds the rows within OUTBOX_POLL_MS.
// On globalThis, because a production build may load this module once per bundle.

type NudgeState = { pending: boolean; wake: (() => void) | null };
const key = Symbol.for('event-app.outbox.nudge');
const g = globalThis as typeof globalThis & { [key]?: NudgeState };
const state: NudgeState = g[key] ?? { pending: false, wake: null };
g[key] = state;

export function noteEnqueued(): void {
  state.pending = true;
}

/** After a commit: wakes the worker if rows were written since the last wake-up. */
export function nudgeIfEnqueued(): void {
  if (!state.pending) return;
  state.pending = false;
  state.wake?.();
}

/** The worker of this process registers its wake-up here. */
export function setWake(wake: (() => void) | null): void {
  state.wake = wake;
}
