// The tickets' settings, from the one config (lib/config.ts).
// How long an order holds its seats (HOLD_MINUTES, default 30: Stripe
// Checkout's shortest session). Thirty seconds are added so that the session,
// created a moment after the hold starts, still asks Stripe for at least its minimum.
import { config } from '@/lib/config';

export const HOLD_SLACK_MS = 30_000;

export function holdMs(): number {
  const minutes = config().HOLD_MINUTES;
  // Below Stripe's 30 minutes (tests with the local stand-ins) no slack is needed.
  return minutes * 60_000 + (minutes >= 30 ? HOLD_SLACK_MS : 0);
}

/** How often the hold sweep and the refunds look for due work (TICKETS_SWEEP_MS, default 5 s). */
export function sweepIntervalMs(): number {
  return config().TICKETS_SWEEP_MS;
}

/** How long a claimed refund is left to its worker before another may ask the provider again (same key). */
export function refundLeaseSeconds(): number {
  return config().REFUNDS_LEASE_SECONDS;
}

/** How often a refund the provider has made but not settled is read back (the reliability suite shortens it). */
export function refundPollSeconds(): number {
  return config().REFUNDS_POLL_SECONDS;
}
