// An in-process wake-up for the webhook worker, like lib/outbox/wake.ts for
// mail: emitWebhook registers it after the COMMIT of the transaction that
// wrote deliveries. Only a shortcut: polling finds them within WEBHOOKS_POLL_MS.
type WakeState = { wake: (() => void) | null };
const key = Symbol.for('event-app.webhooks.wake');
const g = globalThis as typeof globalThis & { [key]?: WakeState };
const state: WakeState = g[key] ?? { wake: null };
g[key] = state;

export function wakeWebhookWorker(): void {
  state.wake?.();
}

export function setWebhookWake(wake: (() => void) | null): void {
  state.wake = wake;
}
