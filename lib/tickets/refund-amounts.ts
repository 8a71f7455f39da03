// The refund arithmetic, in one place and without a database: how much of a
// payment is left to give back, what one ticket's refund is, and what a
// refund the provider confirmed does to the order and its tickets. The
// refunds module (refunds.ts) decides with these under its locks; the
// database checks the same sums once more (refunds_within_payment,
// orders_paid_keep_seats_or_refund).
import type { RefundStatus } from '@/lib/db/enums';

export type RefundAmount = { amount: number; status: RefundStatus };

/** What an order's refunds take back: every refund but a failed one (pending money is on its way). */
export function refundedAmount(rows: readonly RefundAmount[]): number {
  return rows.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0);
}

/** The sum of an order's refunds in one status. */
export function refundsIn(rows: readonly RefundAmount[], status: RefundStatus): number {
  return rows.filter((r) => r.status === status).reduce((n, r) => n + r.amount, 0);
}

/** What is left of a payment to give back. */
export function refundableOf(paid: number, rows: readonly RefundAmount[]): number {
  return paid - refundedAmount(rows);
}

/**
 * A refund asked for: `requested`, or all that is left when none is named.
 * Refused (with what is refundable) when nothing is left or it asks for more.
 */
export function refundToWrite(paid: number, rows: readonly RefundAmount[], requested?: number): { amount: number } | { refused: true; refundable: number } {
  const refundable = refundableOf(paid, rows);
  const amount = requested ?? refundable;
  if (refundable <= 0 || amount > refundable) return { refused: true, refundable };
  return { amount };
}

/**
 * One ticket's refund: its price, at most what is left of the payment; the
 * order's last confirmed ticket takes all that is left (so the order's money
 * comes back whole, whatever the prices).
 */
export function ticketRefundAmount({ price, left, last }: { price: number; left: number; last: boolean }): number {
  return last ? left : Math.min(price, left);
}

/**
 * What a refund the provider confirmed does (`succeeded` counted in `rows`
 * already): the ticket it names is cancelled; once succeeded refunds cover the
 * payment, every ticket is cancelled and the order becomes refunded. Pending
 * or failed refunds free no seat.
 */
export function afterRefundSucceeded(paid: number, rows: readonly RefundAmount[], ticketId: string | null): { cancelTicket: string | null; allBack: boolean } {
  return { cancelTicket: ticketId, allBack: refundsIn(rows, 'succeeded') >= paid };
}
