// The organiser's side of an event's orders: the orders page (a page of
// orders with their tickets, payments and refunds, and the event's totals)
// and cancelling one attendee. Reads and writes go through the owners
// (orders.ts, payments.ts, refunds.ts, lib/registrations).
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { orders, type RefundRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { keysetCursorOrThrow } from '@/lib/events/cursor';
import { lockEvent, readEvent } from '@/lib/events/event-row';
import { lockRegistration, toRegistrationDto } from '@/lib/registrations/registration-row';
import type { RegistrationDto } from '@/lib/registrations/schemas';
import { cancelRegistration } from '@/lib/registrations/service';
import { cancelTickets, readRegistration } from '@/lib/registrations/tickets';
import { isUuid } from '@/lib/ids';
import { chargedUnit, itemsOfOrder, lockOrder, setOrderStatus, ticketsOfOrder } from './orders';
import { paymentOf } from './payments';
import { refundableOf, ticketRefundAmount } from './refund-amounts';
import type { AuditActor } from '@/lib/audit';
import { organiserOrdersOf, refundLocked, refundsOf, retryRefund, toRefundDto, totalsOf, withOrderAnswers } from './refunds';
import type { ListOrdersQuery, OrderList, RefundDto } from './schemas';

const PAGE = 50;

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  // The shared decoder holds the time to what Postgres accepts (1970–9999): else year 0 is a 500.
  const decoded = cursor ? keysetCursorOrThrow(cursor, 'pipe') : null;
  return decoded && { createdAt: new Date(decoded.createdAt), id: decoded.id };
}

export async function listOrders(db: Queryable, { eventId, teamId }: { eventId: string; teamId: string }, query: ListOrdersQuery): Promise<OrderList | null> {
  const event = isUuid(eventId) ? await readEvent(db, { id: eventId, teamId }) : null;
  if (!event) return null;
  const after = decodeCursor(query.cursor);
  const rows = await db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.eventId, event.id),
        query.status ? eq(orders.status, query.status) : undefined,
        after ? or(lt(orders.createdAt, after.createdAt), and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(PAGE + 1);
  const page = rows.slice(0, PAGE);
  const last = page[page.length - 1];
  const nextCursor = rows.length > PAGE && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null;
  return { orders: await withOrderAnswers(db, await organiserOrdersOf(db, page)), nextCursor, totals: await totalsOf(db, event.id) };
}

export type CancelledAttendee = { registration: RegistrationDto; refund: RefundDto | null };

/**
 * The organiser cancels one attendee (POST /api/events/:id/registrations/:rid/cancel).
 * A free registration is cancelled at once (lib/registrations). A ticket of a
 * paid order is refunded: its price (what is left of the payment, at most),
 * or all that is left when it is the order's last ticket; it stays valid
 * until the provider reports the refund succeeded. A ticket whose refund is
 * under way answers that refund; one the provider failed is retried. A ticket
 * of a free order, or one whose money is back already, is cancelled at once.
 */
export async function cancelAttendee(
  tx: Tx,
  {
    eventId,
    registrationId,
    teamId,
    actor,
    mayRefund,
  }: {
    eventId: string;
    registrationId: string;
    teamId: string;
    actor: AuditActor;
    /** Throws when the caller may not refund (the route's `team.require('orders:refund')`): a paid ticket's cancel is a refund. */
    mayRefund: () => void;
  },
): Promise<CancelledAttendee> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  const ticket = event && isUuid(registrationId) ? await lockRegistration(tx, { id: registrationId, eventId: event.id }) : null;
  if (!event || !ticket) throw new AppError('NOT_FOUND');
  if (ticket.orderId === null) {
    return { ...(await cancelRegistration(tx, { eventId: event.id, registrationId: ticket.id, by: { teamId } })), refund: null };
  }
  const order = await lockOrder(tx, { id: ticket.orderId, eventId: event.id });
  if (!order) throw new AppError('NOT_FOUND');
  const answer = (refund: RefundRow | null, row = ticket): CancelledAttendee => ({ registration: toRegistrationDto(row, null), refund: refund ? toRefundDto(refund) : null });
  if (ticket.status === 'cancelled') return answer(null);
  const payment = await paymentOf(tx, order.id);
  const all = await refundsOf(tx, [order.id]);
  const own = all.filter((r) => r.registrationId === ticket.id);
  const underWay = own.find((r) => r.status !== 'failed');
  if (underWay) return answer(underWay);
  const failed = own.find((r) => r.status === 'failed');
  if (failed && payment) {
    mayRefund();
    const retried = await retryRefund(tx, { eventId: event.id, orderId: order.id, refundId: failed.id, teamId, actor });
    return { registration: toRegistrationDto(ticket, null), refund: retried.refund };
  }
  const confirmed = (await ticketsOfOrder(tx, order.id)).filter((t) => t.status === 'confirmed');
  // What was charged for it: its price less its code's discount.
  const item = (await itemsOfOrder(tx, order.id)).find((row) => row.ticketTypeId === ticket.ticketTypeId);
  const price = item ? chargedUnit(item) : 0;
  const left = payment ? refundableOf(payment.amount, all) : 0;
  const last = confirmed.length === 1 && confirmed[0]?.id === ticket.id;
  const amount = ticketRefundAmount({ price, left, last });
  const orderRefundUnderWay = all.find((r) => r.status === 'pending' && r.registrationId === null);
  if (payment && amount <= 0 && orderRefundUnderWay) return answer(orderRefundUnderWay);
  if (!payment || amount <= 0) {
    // Nothing (more) to give back: a free order's ticket, or one whose money came back already.
    await cancelTickets(tx, order.id, ticket.id);
    if (last && order.status === 'confirmed') {
      if (payment) await setOrderStatus(tx, order, 'refunded');
      else await setOrderStatus(tx, order, 'cancelled', 'organiser');
    }
    return answer(null, (await readRegistration(tx, ticket.id)) ?? ticket);
  }
  mayRefund();
  const refund = await refundLocked(tx, { event, order, payment, amount, reason: 'organiser', ticketId: ticket.id, refunds: all, actor });
  return answer(refund);
}
