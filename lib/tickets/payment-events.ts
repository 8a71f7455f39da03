// The provider's events about an order's checkout session, applied in the
// payment inbox's transaction (lib/flows/payment-inbox.ts records the event id
// first: a redelivery changes nothing). A paid session records the order's
// payment, then gives it its seats or, when it cannot have them, all of its
// money back. The event's lock is held for the seat decision only: what does
// not change under it (the order's items, frozen at ordering; whether any
// endpoint listens for `order.paid`) is read before it, and the webhook's
// payload is built from what the confirmation wrote, without reading it back.
import type { PaymentEvent } from '@/lib/billing/purchases';
import { clock } from '@/lib/clock';
import type { Tx } from '@/lib/db/pool';
import type { EventRow, OrderRow } from '@/lib/db/schema';
import { lockEvent, readEvent } from '@/lib/events/event-row';
import { listensTo } from '@/lib/webhooks/emit';
import { confirmPaidOrder, expireOrders, holdRanOut, itemsOfOrder, lockOrder, readOrder, storeOrderSession, type ItemWithName } from './orders';
import { recordPayment, toPaymentDto } from './payments';
import { emitOrderWebhook, refundWithoutSeats, toOrganiserOrder } from './refunds';
import { codeUsesFreeFor } from './codes';
import { eventAvailable, ticketTypesAndHolds, typeAvailable } from './ticket-types';

export type OrderEventOutcome =
  | 'order_paid'
  | 'order_paid_late'
  | 'order_refunded_no_seats'
  | 'order_refunded_event_started'
  | 'order_already_paid'
  | 'order_expired'
  | 'order_not_pending'
  | 'order_not_paid'
  | 'order_unknown'
  | 'order_mismatch'
  | 'ignored';

const PAID_TYPES = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);

/** Whether the order's seats are free now, its own hold aside (a late payment's seats may have gone to others). */
async function seatsFreeFor(tx: Tx, event: EventRow, order: OrderRow, items: ItemWithName[]): Promise<boolean> {
  const { types: typeRows, holds } = await ticketTypesAndHolds(tx, event.id, order.id);
  const types = new Map(typeRows.map((type) => [type.id, type]));
  const wanted = items.reduce((n, item) => n + item.quantity, 0);
  if (wanted > eventAvailable(event, holds)) return false;
  const fit = items.every((item) => {
    const type = types.get(item.ticketTypeId);
    return type !== undefined && item.quantity <= typeAvailable(event, type, holds);
  });
  // Its code's uses too, once its hold is over: others may have taken them meanwhile (refunded as a seat gone
  // would be). While the hold is live its uses are its own: every other order counted them.
  const late = order.status !== 'pending_payment' || holdRanOut(order);
  return fit && (!late || (await codeUsesFreeFor(tx, order, items)));
}

/** A checkout session event about a ticket order (its metadata names the order). */
export async function applyOrderSessionEvent(tx: Tx, event: PaymentEvent): Promise<{ outcome: OrderEventOutcome; orderId: string | null }> {
  const session = event.session;
  const orderId = session?.orderId ?? null;
  const found = orderId ? await readOrder(tx, orderId) : null;
  if (!session || !found) return { outcome: 'order_unknown', orderId: null };
  const paidType = PAID_TYPES.has(event.type);
  // Before the event's lock (each round trip under it is paid by every writer queued behind).
  const items = paidType ? await itemsOfOrder(tx, found.id) : [];
  const organiser = paidType ? await readEvent(tx, { id: found.eventId }) : null;
  const listened = organiser ? await listensTo(tx, organiser.teamId, 'order.paid') : false;

  const eventRow = await lockEvent(tx, { id: found.eventId });
  const order = await lockOrder(tx, { id: found.id, eventId: found.eventId });
  if (!eventRow || !order) return { outcome: 'order_unknown', orderId: null };
  const at = { orderId: order.id };
  if (order.provider !== null && order.provider !== event.provider) return { outcome: 'order_mismatch', ...at };
  // The session must be the order's one session (or, after a crash before it was stored, become it).
  if (order.providerSessionId !== null && order.providerSessionId !== session.id) return { outcome: 'order_mismatch', ...at };

  if (event.type === 'checkout.session.expired') {
    if (order.status !== 'pending_payment') return { outcome: 'order_not_pending', ...at };
    await expireOrders(tx, [order]);
    return { outcome: 'order_expired', ...at };
  }
  if (!paidType) return { outcome: 'ignored', ...at };
  if (!session.paid) return { outcome: 'order_not_paid', ...at };
  if (session.amountTotal !== order.totalAmount || session.currency !== order.currency) return { outcome: 'order_mismatch', ...at };
  const payment = await recordPayment(tx, {
    orderId: order.id,
    provider: event.provider,
    providerPaymentId: session.paymentId ?? null,
    amount: session.amountTotal,
    currency: order.currency,
  });
  if (!payment) return { outcome: 'order_already_paid', ...at };
  if (order.providerSessionId === null) await storeOrderSession(tx, order.id, { provider: event.provider, sessionId: session.id });
  const ranOut = holdRanOut(order);
  const late = order.status !== 'pending_payment' || ranOut;
  if (eventRow.status !== 'published') {
    // Paid for an event cancelled meanwhile: all of it goes back, with the cancellation's mail.
    await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'event_cancelled', holdRanOut: ranOut });
    return { outcome: 'order_refunded_no_seats', ...at };
  }
  if (eventRow.startsAt.getTime() <= clock().now()) {
    // Paid (asynchronously) after the event started: nobody can use the tickets now. All of it goes back.
    await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'late_payment_event_started', holdRanOut: ranOut });
    return { outcome: 'order_refunded_event_started', ...at };
  }
  if (await seatsFreeFor(tx, eventRow, order, items)) {
    const confirmed = await confirmPaidOrder(tx, eventRow, order, items);
    if (listened) {
      // A just-paid order has this one payment and no refund yet: its organiser view is what was just written.
      const known = toOrganiserOrder(confirmed.order, { items, tickets: confirmed.tickets, payments: [toPaymentDto(payment)], refunds: [] });
      await emitOrderWebhook(tx, eventRow.teamId, 'order.paid', { known });
    }
    return { outcome: late ? 'order_paid_late' : 'order_paid', ...at };
  }
  // Paid too late: the seats went to others meanwhile. All of it goes back, and the mail says why.
  await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'late_payment_no_seats', holdRanOut: ranOut });
  return { outcome: 'order_refunded_no_seats', ...at };
}
