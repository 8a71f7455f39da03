import type { Plan } from '@/lib/enums';

/** Participants per event that each plan allows without a credit. */
export const PLAN_LIMITS: Record<Plan, number> = { free: 30, pro: 150 };
/** The limit of an event that one credit upgraded, for its whole life. */
export const UPGRADED_EVENT_LIMIT = 1000;

/**
 * The platform's fee on ticket money sold through a team's connected account
 * (docs/api.md, "Organiser payouts"): `feePercent` of the order's total plus
 * `feeFixed` minor units per paid ticket (lib/payouts/fees.ts rounds and caps it).
 */
export const PLAN_FEES: Record<Plan, { feePercent: number; feeFixed: number }> = {
  free: { feePercent: 5, feeFixed: 50 },
  pro: { feePercent: 2, feeFixed: 30 },
};

export type Entitlements = { plan: Plan; maxParticipants: number; upgradedEventLimit: number };

export function planEntitlements(plan: Plan): Entitlements {
  return { plan, maxParticipants: PLAN_LIMITS[plan], upgradedEventLimit: UPGRADED_EVENT_LIMIT };
}

/**
 * The one place that says how many participants an event may have: the plan's
 * limit, or the upgrade's when a credit lifted this event (whichever is higher).
 * Every check calls this.
 */
export function effectiveLimit(plan: Plan, upgradeLimit: number | null): number {
  return Math.max(PLAN_LIMITS[plan], upgradeLimit ?? 0);
}
