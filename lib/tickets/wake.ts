// The ticket worker of this process, woken after a commit that wrote a refund
// (afterCommit in refunds.ts and lib/flows/cancel-event.ts), so a refund is sent at once rather than at the next round.
const key = Symbol.for('event-app.tickets.wake');
const g = globalThis as typeof globalThis & { [key]?: () => void };

export function setRefundWake(wake: (() => void) | undefined): void {
  g[key] = wake;
}

export function wakeRefunds(): void {
  g[key]?.();
}
