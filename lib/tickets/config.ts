// How long an order holds its seats (HOLD_MINUTES, default 30: Stripe
// Checkout's shortest session). Thirty seconds are added so that the session,
// created a moment after the hold starts, still asks Stripe for at least its minimum.
export const HOLD_SLACK_MS = 30_000;

export function holdMs(): number {
  const minutes = Number(process.env.HOLD_MINUTES ?? '30');
  const valid = Number.isFinite(minutes) && minutes > 0 ? minutes : 30;
  // Below Stripe's 30 minutes (tests with the local stand-ins) no slack is needed.
  return valid * 60_000 + (valid >= 30 ? HOLD_SLACK_MS : 0);
}

/** The ticket worker's rounds: holds swept and refunds sent (TICKETS_SWEEP_MS, default 5 s). */
export function sweepIntervalMs(): number {
  const ms = Number(process.env.TICKETS_SWEEP_MS ?? '5000');
  return Number.isFinite(ms) && ms >= 50 ? ms : 5000;
}
