// The guest's order, behind /o/<token>: what the page shows, and cancelling
// it. Reads and writes go through the owners (orders.ts, payments.ts, refunds.ts).
import { codeWithKey } from '@/lib/checkin/code';
import { signingKey } from '@/lib/checkin/signing-key';
import { clock } from '@/lib/clock';
import type { Queryable, Tx } from '@/lib/db/pool';
import { AppError, type FieldErrors } from '@/lib/errors';
import { answersOfOrders, answersOfRegistrations, editAnswers } from '@/lib/questions/answers';
import { liveQuestionRows } from '@/lib/questions/questions';
import type { AnswerDto, EditOrderAnswersData } from '@/lib/questions/schemas';
import { lockEvent, readEvent, toPublicEventDto } from '@/lib/events/event-row';
import type { PublicEventDto } from '@/lib/events/schemas';
import { cancelTickets } from '@/lib/registrations/tickets';
import { orderPaymentPath } from './order-token';
import { isPayable, itemsOfOrder, lockOrder, readOrder, readOrderByToken, setOrderStatus, ticketsOfOrder, toOrderDto } from './orders';
import { paymentOf } from './payments';
import { refundableOf } from './refund-amounts';
import { refundLocked, refundsOf } from './refunds';
import { SYSTEM_ACTOR } from '@/lib/audit';
import type { GuestTicketDto, OrderDto } from './schemas';

export type GuestOrder = { order: OrderDto; event: PublicEventDto; tickets: GuestTicketDto[]; paymentUrl: string | null };

/** The order behind /o/<token>, with its event and tickets; null for an unknown token. */
export async function orderByToken(db: Queryable, token: string): Promise<GuestOrder | null> {
  const row = await readOrderByToken(db, token);
  if (!row) return null;
  const event = await readEvent(db, { id: row.eventId });
  if (!event) return null;
  const items = await itemsOfOrder(db, row.id);
  const listed = await ticketsOfOrder(db, row.id);
  // A confirmed ticket carries its signed code (the door check-in's QR code); a cancelled one none.
  const key = listed.some((ticket) => ticket.status === 'confirmed') ? await signingKey() : null;
  const tickets = listed.map((ticket) => ({
    ...ticket,
    code: key && ticket.status === 'confirmed' ? codeWithKey(key, { eventId: row.eventId, registrationId: ticket.id }) : null,
  }));
  return { order: toOrderDto(row, items, await refundsOf(db, [row.id])), event: toPublicEventDto(event), tickets, paymentUrl: isPayable(row) ? orderPaymentPath(token) : null };
}

/**
 * The guest cancels: a pending order is cancelled and its seats freed; a paid
 * one is refunded in full while the event has not started (REFUND_CLOSED
 * after) and none of its tickets was admitted at the door (ALREADY_ADMITTED:
 * the organiser may still refund it); its tickets stay valid until the
 * provider reports the refund succeeded. A free one gives its seats back.
 * Repeats answer unchanged (a refund under way is not asked for twice).
 */
export async function cancelOrderByToken(tx: Tx, token: string): Promise<{ order: OrderDto }> {
  const found = await readOrderByToken(tx, token);
  if (!found) throw new AppError('NOT_FOUND');
  const event = await lockEvent(tx, { id: found.eventId });
  const order = await lockOrder(tx, { id: found.id, eventId: found.eventId });
  if (!event || !order) throw new AppError('NOT_FOUND');
  if (order.status === 'pending_payment') {
    await setOrderStatus(tx, order, 'cancelled', 'guest');
  } else if (order.status === 'confirmed') {
    if (event.startsAt.getTime() <= clock().now()) throw new AppError('REFUND_CLOSED');
    const tickets = await ticketsOfOrder(tx, order.id);
    if (tickets.some((ticket) => ticket.checkedInAt !== null)) throw new AppError('ALREADY_ADMITTED');
    const payment = await paymentOf(tx, order.id);
    if (payment) {
      const rows = await refundsOf(tx, [order.id]);
      if (refundableOf(payment.amount, rows) > 0) await refundLocked(tx, { event, order, payment, amount: undefined, reason: 'guest', refunds: rows, actor: SYSTEM_ACTOR });
    } else {
      await cancelTickets(tx, order.id);
      await setOrderStatus(tx, order, 'cancelled', 'guest');
    }
  }
  const after = await readOrder(tx, order.id);
  if (!after) throw new AppError('NOT_FOUND');
  return { order: toOrderDto(after, await itemsOfOrder(tx, after.id), await refundsOf(tx, [after.id])) };
}

/** The order's answers as the guest sees them: those asked once per order, and each ticket's holder's by ticket id. */
export type GuestOrderAnswers = { answers: AnswerDto[]; holders: Record<string, AnswerDto[]> };

async function guestOrderAnswers(db: Queryable, orderId: string, tickets: readonly { id: string }[]): Promise<GuestOrderAnswers> {
  const ofOrder = (await answersOfOrders(db, [orderId])).get(orderId) ?? [];
  const own = await answersOfRegistrations(db, tickets.map((ticket) => ({ id: ticket.id, orderId: null })));
  return { answers: ofOrder, holders: Object.fromEntries(tickets.map((ticket) => [ticket.id, own.get(ticket.id) ?? []])) };
}

/** What /o/<token> shows of the answers; null for an unknown token. */
export async function orderAnswersByToken(db: Queryable, token: string): Promise<GuestOrderAnswers | null> {
  const row = await readOrderByToken(db, token);
  if (!row) return null;
  return guestOrderAnswers(db, row.id, await ticketsOfOrder(db, row.id));
}

/**
 * The guest changes the order's answers (`answers`, per order) and its ticket
 * holders' (`holders`, by ticket id; keys absent stay) until the event
 * starts, each checked against the question as it is now.
 */
export async function editOrderAnswersByToken(tx: Tx, token: string, input: EditOrderAnswersData): Promise<GuestOrderAnswers> {
  const found = await readOrderByToken(tx, token);
  if (!found) throw new AppError('NOT_FOUND');
  const event = await lockEvent(tx, { id: found.eventId });
  const order = await lockOrder(tx, { id: found.id, eventId: found.eventId });
  if (!event || !order) throw new AppError('NOT_FOUND');
  if (order.status !== 'confirmed' && order.status !== 'pending_payment') throw new AppError('REGISTRATION_CLOSED');
  if (event.status !== 'published' || event.startsAt.getTime() <= clock().now()) throw new AppError('REGISTRATION_CLOSED');
  const live = await liveQuestionRows(tx, event.id);
  const types = (await itemsOfOrder(tx, order.id)).map((item) => item.ticketTypeId);
  const applies = (ids: readonly string[], typeIds: readonly string[]) => ids.length === 0 || ids.some((id) => typeIds.includes(id));
  const errors: FieldErrors = {};
  if (input.answers) {
    const asked = live.filter((q) => q.per === 'order' && applies(q.ticketTypeIds, types));
    await editAnswers(tx, { eventId: event.id, orderId: order.id }, asked, input.answers, 'answers', errors);
  }
  const tickets = await ticketsOfOrder(tx, order.id);
  for (const [ticketId, answers] of Object.entries(input.holders ?? {})) {
    const ticket = tickets.find((t) => t.id === ticketId && t.status === 'confirmed');
    if (!ticket) {
      errors[`holders.${ticketId}`] = ['invalid'];
      continue;
    }
    const asked = live.filter((q) => q.per === 'ticket' && applies(q.ticketTypeIds, [ticket.ticketTypeId]));
    await editAnswers(tx, { eventId: event.id, registrationId: ticket.id }, asked, answers, `holders.${ticketId}`, errors);
  }
  if (Object.keys(errors).length > 0) throw new AppError('VALIDATION_FAILED', { fieldErrors: errors });
  return guestOrderAnswers(tx, order.id, tickets);
}
