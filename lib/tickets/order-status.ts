// Where an order's status may go, one table for the code. The database's
// trigger `orders_transition` refuses any other step whoever writes
// (tests/integration/order-transitions.test.ts holds the two equal); this
// table lets the code ask before it writes, and names the steps in one place.
import type { OrderCancelReason, OrderStatus } from '@/lib/enums';

export type { OrderCancelReason, OrderStatus };

/**
 * Forward only: a pending order is paid, runs out, is cancelled or refunded;
 * an expired or cancelled one can still be confirmed or refunded by a late
 * payment; a confirmed one ends refunded (or cancelled, a free order). A
 * refunded order is done. A move to cancelled records why (ORDER_CANCEL_REASONS,
 * orders.cancel_reason): the guest's page says "cancelled by you" only when it was.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['confirmed', 'expired', 'cancelled', 'refunded'],
  expired: ['confirmed', 'refunded'],
  cancelled: ['confirmed', 'refunded'],
  confirmed: ['refunded', 'cancelled'],
  refunded: [],
};

/** Whether an order may move from one status to another (staying put is no move and always allowed). */
export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return from === to || ORDER_TRANSITIONS[from].includes(to);
}
