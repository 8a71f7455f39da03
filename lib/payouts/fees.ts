// The platform's fee, in integer minor units, without a database: what an
// order pays when it is placed (frozen on the order), and what part of it each
// refund gives back. docs/api.md ("Organiser payouts") states both rules; the
// refunds trigger (refunds_within_payment) checks the sum once more.
import { PLAN_FEES } from '@/lib/billing/plans';
import type { Plan } from '@/lib/enums';

/**
 * The fee of an order: `feePercent` of its total, rounded half up to a whole
 * minor unit, plus `feeFixed` per paid ticket (a ticket charged more than 0),
 * never more than the total. Computed in basis points, so no float reaches money.
 */
export function orderFee(plan: Plan, order: { total: number; paidTickets: number }): number {
  if (order.total <= 0) return 0;
  const { feePercent, feeFixed } = PLAN_FEES[plan];
  const basisPoints = Math.round(feePercent * 100);
  // Half up: adding half the divisor before the integer division (all values are non-negative).
  const percent = Math.floor((order.total * basisPoints + 5000) / 10000);
  return Math.min(order.total, percent + feeFixed * order.paidTickets);
}

/**
 * The part of the fee a refund gives back: ⌊fee × amount ÷ paid⌋ (rounded
 * down), except the refund that returns the last of the payment, which takes
 * all of the fee not yet given back. So the refunded fees never exceed the
 * fee, and a fully refunded order has returned all of it. `earlier`: the
 * order's other refunds that are not failed (their fee parts and amounts).
 */
export function refundFee(input: { fee: number; paid: number; amount: number; earlier: readonly { amount: number; fee: number }[] }): number {
  const { fee, paid, amount } = input;
  if (fee <= 0 || paid <= 0 || amount <= 0) return 0;
  const refundedBefore = input.earlier.reduce((n, r) => n + r.amount, 0);
  const feeBefore = input.earlier.reduce((n, r) => n + r.fee, 0);
  const left = Math.max(0, fee - feeBefore);
  if (refundedBefore + amount >= paid) return left;
  return Math.min(left, Math.floor((fee * amount) / paid));
}
