// The owner of orders (and their items): finds an order (by its link, or
// locked under its event's lock), places it, moves its status (only along
// ORDER_TRANSITIONS, order-status.ts), holds and frees its seats, and shapes
// it for the guest. Lock order, on every path: the event (lockEvent) before
// the order, the order before its payment (the refunds trigger locks that)
// and its tickets. Whether a hold is live is decided by the one clock
// (`clock()`), here and in the seat counts (liveHoldsOf).
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { clock, now } from '@/lib/clock';
import type { Queryable, Tx } from '@/lib/db/pool';
import { isCheckViolation } from '@/lib/db/errors';
import { writeWithCommit } from '@/lib/db/transaction';
import { discountCodes, orderItems, orders, registrations, ticketTypes, type EventRow, type OrderRow, type PaymentProviderName, type RefundRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { lockEvent, readEvent, toEventSnapshot } from '@/lib/events/event-row';
import { isSlug } from '@/lib/events/slug';
import { logLine } from '@/lib/log';
import { enqueueForOrder } from '@/lib/outbox/enqueue';
import type { OutboxPayload } from '@/lib/outbox/payload';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { issueTickets } from '@/lib/registrations/tickets';
import { checkOrderAnswers, writeOrderAnswers } from '@/lib/questions/answers';
import { liveQuestionsBySlug } from '@/lib/questions/questions';
import { saleTerms, teamOfEvent } from '@/lib/payouts/accounts';
import { holdMs } from './config';
import { applyOrderCode } from './codes';
import { canMoveOrder, type OrderCancelReason, type OrderStatus } from './order-status';
import { isUuid } from '@/lib/ids';
import { hashToken } from '@/lib/tokens';
import { isOrderToken, issuedOrderTokenOf, orderManageUrl, orderPaymentPath, orderTokenOf } from './order-token';
import { refundedAmount, refundsIn } from './refund-amounts';
import type { OrderDto, OrderItemDto, OrderPlaced, PlaceOrderData, TicketDto } from './schemas';
import { eventAvailable, onSale, ticketTypesAndHolds, typeAvailable } from './ticket-types';

/** Orders per client address, per event, per hour: the registrations' limit (docs/api.md, Abuse limits). */
const ORDERS_PER_ADDRESS_AND_EVENT: RateLimit = { name: 'order_ip', points: 20, windowSeconds: 60 * 60 };

/**
 * Whether the order may still be paid: pending, its hold not run out. (A
 * payment never leaves an order pending: it confirms it, or moves it to
 * expired or cancelled with its refund.)
 */
export function isPayable(order: Pick<OrderRow, 'status' | 'holdExpiresAt'>): boolean {
  return order.status === 'pending_payment' && order.holdExpiresAt.getTime() > clock().now();
}

/** Whether the order's hold has run out (by the one clock), whatever its status. */
export function holdRanOut(order: Pick<OrderRow, 'holdExpiresAt'>): boolean {
  return order.holdExpiresAt.getTime() <= clock().now();
}

// ---- reads -------------------------------------------------------------------

export async function readOrderByToken(db: Queryable, token: string): Promise<OrderRow | null> {
  if (!isOrderToken(token)) return null;
  const rows = await db.select().from(orders).where(eq(orders.tokenHash, hashToken(token))).limit(1);
  return rows[0] ?? null;
}

export async function readOrder(db: Queryable, id: string): Promise<OrderRow | null> {
  if (!isUuid(id)) return null;
  const rows = await db.select().from(orders).where(eq(orders.id, id)).limit(1);
  return rows[0] ?? null;
}

/** The order, row-locked; the caller holds its event's lock already. */
export async function lockOrder(tx: Tx, by: { id: string; eventId: string }): Promise<OrderRow | null> {
  if (!isUuid(by.id)) return null;
  const rows = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, by.id), eq(orders.eventId, by.eventId)))
    .for('update')
    .limit(1);
  return rows[0] ?? null;
}

/** The event's live orders (pending or confirmed), row-locked; the caller holds the event's lock. */
export async function lockLiveOrders(tx: Tx, eventId: string): Promise<OrderRow[]> {
  return tx
    .select()
    .from(orders)
    .where(and(eq(orders.eventId, eventId), inArray(orders.status, ['confirmed', 'pending_payment'])))
    .for('update');
}

/** `unitAmount`: the type's price when ordered; `unitDiscount`: its code's part of it (a ticket is charged the difference); `code`: the code the tickets were bought with. */
export type ItemWithName = { ticketTypeId: string; name: string; quantity: number; unitAmount: number; unitDiscount: number; codeId: string | null; code: string | null };

/** What one ticket of the item is charged. */
export function chargedUnit(item: Pick<ItemWithName, 'unitAmount' | 'unitDiscount'>): number {
  return item.unitAmount - item.unitDiscount;
}

export async function itemsOf(db: Queryable, orderIds: string[]): Promise<Map<string, ItemWithName[]>> {
  const byOrder = new Map<string, ItemWithName[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .select({
      orderId: orderItems.orderId,
      ticketTypeId: orderItems.ticketTypeId,
      name: ticketTypes.name,
      quantity: orderItems.quantity,
      unitAmount: orderItems.unitAmount,
      unitDiscount: orderItems.unitDiscount,
      codeId: orderItems.codeId,
      code: discountCodes.code,
    })
    .from(orderItems)
    .innerJoin(ticketTypes, eq(ticketTypes.id, orderItems.ticketTypeId))
    .leftJoin(discountCodes, eq(discountCodes.id, orderItems.codeId))
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(asc(ticketTypes.createdAt));
  for (const { orderId, ...item } of rows) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), item]);
  return byOrder;
}

export async function itemsOfOrder(db: Queryable, orderId: string): Promise<ItemWithName[]> {
  return (await itemsOf(db, [orderId])).get(orderId) ?? [];
}

/** The orders' tickets (their registrations), in the order they were issued. */
export async function ticketsOf(db: Queryable, orderIds: string[]): Promise<Map<string, TicketDto[]>> {
  const byOrder = new Map<string, TicketDto[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .select({
      id: registrations.id,
      orderId: registrations.orderId,
      ticketTypeId: registrations.ticketTypeId,
      ticketType: ticketTypes.name,
      holder: registrations.name,
      status: registrations.status,
      checkedInAt: registrations.checkedInAt,
      reference: registrations.reference,
    })
    .from(registrations)
    .innerJoin(ticketTypes, eq(ticketTypes.id, registrations.ticketTypeId))
    .where(inArray(registrations.orderId, orderIds))
    .orderBy(asc(registrations.seq));
  for (const { orderId, ticketTypeId, checkedInAt, ...ticket } of rows) {
    if (!orderId || !ticketTypeId) continue;
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), { ...ticket, ticketTypeId, checkedInAt: checkedInAt?.toISOString() ?? null }]);
  }
  return byOrder;
}

export async function ticketsOfOrder(db: Queryable, orderId: string): Promise<TicketDto[]> {
  return (await ticketsOf(db, [orderId])).get(orderId) ?? [];
}

// ---- the order as the guest sees it, and in its mails --------------------------

function itemDto(item: ItemWithName, currency: string): OrderItemDto {
  return {
    ticketTypeId: item.ticketTypeId,
    name: item.name,
    quantity: item.quantity,
    unitPrice: { amount: item.unitAmount, currency },
    discount: { amount: item.unitDiscount * item.quantity, currency },
    amount: { amount: chargedUnit(item) * item.quantity, currency },
  };
}

export function toOrderDto(row: OrderRow, items: ItemWithName[], refundRows: RefundRow[]): OrderDto {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    total: { amount: row.totalAmount, currency: row.currency },
    refunded: refundedAmount(refundRows),
    refundPending: refundsIn(refundRows, 'pending'),
    refundFailed: refundsIn(refundRows, 'failed'),
    holdExpiresAt: row.holdExpiresAt.toISOString(),
    items: items.map((item) => itemDto(item, row.currency)),
    code: items.find((item) => item.code !== null)?.code ?? null,
    createdAt: row.createdAt.toISOString(),
    cancelReason: row.status === 'cancelled' ? row.cancelReason : null,
  };
}

export type IssuedTicket = { id: string; ticketType: string; reference: string };

/** The receipt a mail about the order carries. */
export function receiptOf(
  order: OrderRow,
  items: ItemWithName[],
  extra: { tickets?: IssuedTicket[]; refundAmount?: number; refundReason?: RefundRow['reason'] } = {},
): NonNullable<OutboxPayload['order']> {
  return {
    number: order.number,
    currency: order.currency,
    total: order.totalAmount,
    items: items.map(({ name, quantity, unitAmount, unitDiscount }) => ({ name, quantity, unitAmount, ...(unitDiscount > 0 && { unitDiscount }) })),
    ...(items.some((item) => item.code !== null) && { code: items.find((item) => item.code !== null)?.code ?? undefined }),
    ...extra,
  };
}

// ---- writes --------------------------------------------------------------------

/**
 * Moves the order along ORDER_TRANSITIONS (the trigger orders_transition
 * refuses any other step too; asking first names the bug). A move to
 * `cancelled` names its reason (what the guest's page says). Returns the row
 * as it is afterwards.
 */
export async function setOrderStatus(
  tx: Tx,
  order: Pick<OrderRow, 'id' | 'status'>,
  status: OrderStatus,
  cancelReason?: OrderCancelReason,
): Promise<OrderRow> {
  if (!canMoveOrder(order.status, status)) throw new Error(`order ${order.id} is ${order.status} and cannot become ${status}`);
  if ((status === 'cancelled') !== (cancelReason !== undefined)) throw new Error(`order ${order.id}: a cancel reason goes with the move to cancelled, and only with it`);
  const [row] = await tx
    .update(orders)
    .set({ status, updatedAt: sql`now()`, ...(status === 'confirmed' && { confirmedAt: sql`now()` }), ...(cancelReason && order.status !== 'cancelled' && { cancelReason }) })
    .where(eq(orders.id, order.id))
    .returning();
  if (!row) throw new Error(`update of order ${order.id} returned no row`);
  return row;
}

/** The order's tickets issued, named by their type (for the receipt). */
async function issueOrderTickets(tx: Tx, order: OrderRow, items: ItemWithName[]): Promise<(IssuedTicket & { ticketTypeId: string; holder: string })[]> {
  const issued = await issueTickets(tx, order, items);
  const names = new Map(items.map((item) => [item.ticketTypeId, item.name]));
  return issued.map((row) => ({ id: row.id, ticketTypeId: row.ticketTypeId, ticketType: names.get(row.ticketTypeId) ?? '', reference: row.reference, holder: row.holder }));
}

/**
 * THE place where an order becomes paid: its tickets issued, the order
 * confirmed, the receipt mailed with the /o/<token> link. The caller holds
 * the event's and the order's locks, has recorded the payment and checked the
 * seats are free; it tells the organiser's integrations (`order.paid`).
 * Returns the order and its tickets as they now are.
 */
export async function confirmPaidOrder(tx: Tx, event: EventRow, order: OrderRow, items: ItemWithName[]): Promise<{ order: OrderRow; tickets: TicketDto[] }> {
  const issued = await issueOrderTickets(tx, order, items);
  const confirmed = await setOrderStatus(tx, order, 'confirmed');
  // The token is derived from the order's id, so the receipt carries the link to the order page and its QR codes.
  const manageUrl = orderManageUrl(issuedOrderTokenOf(order));
  await enqueueForOrder(tx, 'order_confirmed', order, toEventSnapshot(event), {
    manageUrl,
    order: receiptOf(order, items, { tickets: issued.map(({ id, ticketType, reference }) => ({ id, ticketType, reference })) }),
  });
  const tickets = issued.map((t) => ({
    id: t.id,
    ticketTypeId: t.ticketTypeId,
    ticketType: t.ticketType,
    holder: t.holder,
    status: 'confirmed' as const,
    checkedInAt: null,
    reference: t.reference,
  }));
  return { order: confirmed, tickets };
}

/** Stores the order's one payment session (once: a stored one is never replaced, and orders_transition refuses it too). */
export async function storeOrderSession(
  db: Queryable,
  orderId: string,
  session: { provider: PaymentProviderName; sessionId: string; paymentUrl?: string | null },
): Promise<void> {
  await db
    .update(orders)
    .set({ provider: session.provider, providerSessionId: session.sessionId, ...(session.paymentUrl !== undefined && { paymentUrl: session.paymentUrl }) })
    .where(and(eq(orders.id, orderId), isNull(orders.providerSessionId)));
}

/**
 * The order as it stands after its hold was made to last at least `aheadMs`
 * from now, when it did not and had not grown before (orders_transition lets
 * a hold grow once, before the session). Null when the order is gone, or
 * when the database's guard says its hold ran out meanwhile.
 */
export async function extendHoldForSession(db: Queryable, order: OrderRow, aheadMs: number): Promise<OrderRow | null> {
  const at = clock().now();
  if (aheadMs <= 0 || order.holdExtendedAt !== null || order.holdExpiresAt.getTime() >= at + aheadMs) return order;
  const until = new Date(at + aheadMs);
  try {
    await db
      .update(orders)
      .set({ holdExpiresAt: until, holdExtendedAt: new Date(at) })
      .where(
        and(
          eq(orders.id, order.id),
          eq(orders.status, 'pending_payment'),
          isNull(orders.holdExtendedAt),
          isNull(orders.providerSessionId),
          gt(orders.holdExpiresAt, new Date(at)),
          lt(orders.holdExpiresAt, until),
        ),
      );
  } catch (error) {
    // orders_transition judges "the hold has not run out" by the database's clock; when it says it
    // has (this server's clock runs behind), the hold is over: no payment page, not a 500.
    if (isCheckViolation(error)) return null;
    throw error;
  }
  // Read back whatever happened: this tab's extension, another tab's, or none (the hold ran out meanwhile).
  return readOrder(db, order.id);
}

/** Expires the given pending orders (their holds stop counting at once) and mails each guest. */
export async function expireOrders(tx: Tx, rows: OrderRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .update(orders)
    .set({ status: 'expired', updatedAt: sql`now()` })
    .where(and(inArray(orders.id, rows.map((row) => row.id)), eq(orders.status, 'pending_payment')));
  const items = await itemsOf(tx, rows.map((row) => row.id));
  const eventIds = [...new Set(rows.map((row) => row.eventId))];
  for (const eventId of eventIds) {
    const event = await readEvent(tx, { id: eventId });
    if (!event) continue;
    for (const row of rows.filter((r) => r.eventId === eventId)) {
      await enqueueForOrder(tx, 'order_hold_expired', row, toEventSnapshot(event), { order: receiptOf(row, items.get(row.id) ?? []) });
    }
  }
}

/**
 * The hold sweep: pending orders whose hold ran out become `expired`, a batch
 * at a time, and the guest is told. Availability never counted them already;
 * this frees them for good. The lock order of every path: each event first
 * (in id order, so two sweeps never cross), then its due orders (SKIP LOCKED:
 * one a webhook is confirming right now is left to it). Locking an order
 * before its event deadlocked with a late payment: the webhook held the event
 * and waited for the order, while the sweep held the order and its mail's row
 * waited on the event. Returns how many it expired.
 */
export async function sweepExpiredHolds(tx: Tx, batch = 100): Promise<number> {
  const dueNow = and(eq(orders.status, 'pending_payment'), lt(orders.holdExpiresAt, now()));
  const candidates = await tx.select({ eventId: orders.eventId }).from(orders).where(dueNow).orderBy(orders.holdExpiresAt).limit(batch);
  const eventIds = [...new Set(candidates.map((row) => row.eventId))].sort();
  let expired = 0;
  for (const eventId of eventIds) {
    if (!(await lockEvent(tx, { id: eventId }))) continue;
    const due = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.eventId, eventId), dueNow))
      .orderBy(orders.holdExpiresAt)
      .limit(batch)
      .for('update', { skipLocked: true });
    await expireOrders(tx, due);
    expired += due.length;
  }
  if (expired > 0) logLine('info', 'tickets.holds_expired', { count: expired });
  return expired;
}

// ---- the guest orders ------------------------------------------------------------

function assertOpen(event: EventRow): void {
  if (event.status !== 'published' || event.startsAt.getTime() <= clock().now()) throw new AppError('REGISTRATION_CLOSED');
}

export type OrderInput = PlaceOrderData & { locale: 'en' | 'ru'; address: string };

/**
 * Places an order: under the event's lock, checks every item against what is
 * available now (live holds counted, expired ones not), then holds the seats
 * until holdExpiresAt (pending_payment), or confirms at once when the total is 0.
 * No provider call happens here: the payment session is opened by the order's
 * payment page (`openOrderPayment`), so the event's lock is never held while
 * waiting on Stripe.
 */
export async function placeOrder(tx: Tx, slug: string, input: OrderInput): Promise<OrderPlaced> {
  if (!isSlug(slug)) throw new AppError('NOT_FOUND');
  // Before the event's lock: what needs no seat count (each round trip under it is paid by every order queued behind).
  const id = randomUUID();
  const token = orderTokenOf(id);
  await consumePoint(tx, ORDERS_PER_ADDRESS_AND_EVENT, `${slug} ${input.address}`);
  const event = await lockEvent(tx, { slug });
  if (!event) throw new AppError('NOT_FOUND');
  // The questions under the lock, which their writes take too (lib/questions/questions.ts, writeVersion): the
  // database's trigger never holds this order to a question it did not see.
  const questions = await liveQuestionsBySlug(tx, slug);
  assertOpen(event);
  const { types: typeRows, holds } = await ticketTypesAndHolds(tx, event.id);
  const types = new Map(typeRows.map((type) => [type.id, type]));
  const wanted = input.items.reduce((n, item) => n + item.quantity, 0);
  // The code (when named) under the same lock as the seats: its uses counted from live rows, its discount per item.
  const { code, items: coded } = await applyOrderCode(tx, event, types, input.items, input.code);
  const items: ItemWithName[] = [];
  for (const item of coded) {
    const type = types.get(item.ticketTypeId);
    if (!type) throw new AppError('VALIDATION_FAILED', { fieldErrors: { items: ['ticketItems'] } });
    if (!onSale(type)) throw new AppError('REGISTRATION_CLOSED', { details: { ticketTypeId: type.id } });
    const available = typeAvailable(event, type, holds);
    if (item.quantity > available) throw new AppError('SOLD_OUT', { details: { ticketTypeId: type.id, available } });
    items.push({
      ticketTypeId: type.id,
      name: type.name,
      quantity: item.quantity,
      unitAmount: type.priceAmount,
      unitDiscount: item.unitDiscount,
      codeId: item.codeId,
      code: item.codeId && code ? code.code : null,
    });
  }
  if (wanted > eventAvailable(event, holds)) {
    throw new AppError('SOLD_OUT', { details: { ticketTypeId: input.items[0]?.ticketTypeId ?? null, available: eventAvailable(event, holds) } });
  }
  const answers = checkOrderAnswers(questions, input);
  const currency = types.values().next().value?.currency ?? 'eur';
  const total = items.reduce((n, item) => n + item.quantity * chargedUnit(item), 0);
  // Where the money goes and the platform's fee, frozen on the order (PAYMENTS_NOT_READY while the team's account cannot charge).
  const paidTickets = items.reduce((n, item) => n + (chargedUnit(item) > 0 ? item.quantity : 0), 0);
  const terms = await saleTerms(tx, teamOfEvent(event), { total, paidTickets });
  const at = clock().now();
  const [order] = await tx
    .insert(orders)
    .values({
      id,
      eventId: event.id,
      status: total === 0 ? 'confirmed' : 'pending_payment',
      name: input.name,
      email: input.email,
      locale: input.locale,
      tokenHash: hashToken(token),
      currency,
      totalAmount: total,
      holdExpiresAt: new Date(at + holdMs()),
      codeId: code?.id ?? null,
      feeAmount: terms.feeAmount,
      destinationAccount: terms.destinationAccount,
      ...(total === 0 && { confirmedAt: new Date(at) }),
      holderDetails: answers.holders.some((holder) => holder.name !== null || holder.answers.length > 0),
    })
    .returning();
  if (!order) throw new Error('insert into orders returned no row');
  await writeWithCommit(
    tx,
    tx.insert(orderItems).values(
      items.map((item) => ({
        orderId: order.id,
        ticketTypeId: item.ticketTypeId,
        quantity: item.quantity,
        unitAmount: item.unitAmount,
        unitDiscount: item.unitDiscount,
        codeId: item.codeId,
      })),
    ),
  );
  // Saved with the order or not at all; its tickets take their holders' answers when they are issued.
  await writeOrderAnswers(tx, event.id, order.id, answers);
  const manageUrl = orderManageUrl(token);
  if (total === 0) {
    // Free: the same path without a payment; the seats were checked above, under the lock.
    const tickets = await issueOrderTickets(tx, order, items);
    await enqueueForOrder(tx, 'order_confirmed', order, toEventSnapshot(event), {
      manageUrl,
      order: receiptOf(order, items, { tickets: tickets.map(({ id: ticketId, ticketType, reference }) => ({ id: ticketId, ticketType, reference })) }),
    });
  }
  return { order: toOrderDto(order, items, []), paymentUrl: total === 0 ? null : orderPaymentPath(token), manageUrl };
}

/**
 * A cancelled event's pending orders are cancelled (their holds freed, their
 * pages stop offering to pay), in the cancellation's transaction. Returns how many.
 */
export async function cancelPendingOrdersOf(tx: Tx, eventId: string): Promise<number> {
  const rows = await tx
    .update(orders)
    .set({ status: 'cancelled', cancelReason: 'event_cancelled', updatedAt: sql`now()` })
    .where(and(eq(orders.eventId, eventId), eq(orders.status, 'pending_payment')))
    .returning({ id: orders.id });
  return rows.length;
}
