// Paid tickets (docs/api.md, "Paid tickets (guests)"). Every writer locks the
// event first (lockEvent), then the order (lockOrder), then reads what it
// decides on: availability (capacity less confirmed less live holds, per type
// and for the event) is exact under that lock, and the database backs it for
// confirmed seats (events_confirmed_within_capacity, ticket_types_sold_within_quantity).
// Money moves in three places only, each one function: `markOrderPaid`
// (an order becomes paid), `requestRefund` (a refund row, executed by the
// refund worker through the provider) and `markRefundSucceeded`.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { PaymentEvent, ProviderRefundEvent } from '@/lib/billing/purchases';
import { providerRefundStatus, type ProviderRefund } from '@/lib/billing/payments/refund-status';
import type { Queryable, Tx } from '@/lib/db/pool';
import { afterCommit, writeWithCommit } from '@/lib/db/transaction';
import { isCheckViolation } from '@/lib/db/errors';
import {
  orderItems,
  orders,
  payments,
  refunds,
  registrations,
  ticketTypes,
  type EventRow,
  type OrderRow,
  type PaymentRow,
  type RefundReason,
  type RefundRow,
} from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { keysetCursorOrThrow } from '@/lib/events/cursor';
import { lockEvent, readEvent, toEventSnapshot, toPublicEventDto } from '@/lib/events/event-row';
import type { PublicEventDto } from '@/lib/events/schemas';
import { isSlug } from '@/lib/events/slug';
import { logLine } from '@/lib/log';
import { enqueueForOrder } from '@/lib/outbox/enqueue';
import type { OutboxPayload } from '@/lib/outbox/payload';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { lockRegistration, toRegistrationDto } from '@/lib/registrations/registration-row';
import type { RegistrationDto } from '@/lib/registrations/schemas';
import { cancelRegistration } from '@/lib/registrations/service';
import { emitWebhook } from '@/lib/webhooks/emit';
import { codeWithKey } from '@/lib/checkin/code';
import { signingKey } from '@/lib/checkin/signing-key';
import { isUuid } from '@/lib/ids';
// One hash for every secret token (lib/tokens.ts), under the names this file's code uses.
import { hashToken as orderTokenHash, hashToken as tokenHash, newToken as newManageToken } from '@/lib/tokens';
import { holdMs } from './config';
import {
  isPayable,
  itemsOf,
  lockOrder,
  issuedOrderTokenOf,
  orderTokenOf,
  orderManageUrl,
  orderPaymentPath,
  paymentOf,
  readOrder,
  readOrderByToken,
  refundedAmount,
  refundsIn,
  refundsOf,
  ticketsOf,
  toOrderDto,
  toOrganiserOrders,
  toRefundDto,
  totalsOf,
  type ItemWithName,
} from './order-row';
import { wakeRefunds } from './wake';
import type {
  CreateTicketTypeData,
  GuestTicketDto,
  ListOrdersQuery,
  OrderDto,
  OrderList,
  OrderPlaced,
  PlaceOrderData,
  PublicTicketTypeDto,
  RefundDto,
  TicketTypeDto,
  UpdateTicketTypeData,
} from './schemas';
import {
  eventAvailable,
  holdsOf,
  listTicketTypeRows,
  lockTicketType,
  onSale,
  toPublicTicketTypeDto,
  ticketTypesAndHolds,
  toTicketTypeDto,
  typeAvailable,
} from './ticket-type-row';

/** Orders per client address, per event, per hour: the registrations' limit (docs/api.md, Abuse limits). */
const ORDERS_PER_ADDRESS_AND_EVENT: RateLimit = { name: 'order_ip', points: 20, windowSeconds: 60 * 60 };

function assertOpen(event: EventRow): void {
  if (event.status !== 'published' || event.startsAt.getTime() <= Date.now()) throw new AppError('REGISTRATION_CLOSED');
}

// ---- ticket types (organiser) ----------------------------------------------

export async function listTicketTypes(db: Queryable, { eventId, ownerId }: { eventId: string; ownerId: string }): Promise<TicketTypeDto[] | null> {
  if (!isUuid(eventId)) return null;
  const event = await readEvent(db, { id: eventId, ownerId });
  if (!event) return null;
  const types = await listTicketTypeRows(db, event.id);
  const holds = await holdsOf(db, event.id);
  return types.map((type) => toTicketTypeDto(event, type, holds));
}

/** The public page's ticket types (any event with a public page); [] when it sells none. */
export async function publicTicketTypes(db: Queryable, event: EventRow): Promise<PublicTicketTypeDto[]> {
  const types = await listTicketTypeRows(db, event.id);
  if (types.length === 0) return [];
  const holds = await holdsOf(db, event.id);
  return types.map((type) => toPublicTicketTypeDto(event, type, holds));
}

export async function createTicketType(tx: Tx, { eventId, ownerId }: { eventId: string; ownerId: string }, input: CreateTicketTypeData): Promise<TicketTypeDto> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, ownerId }) : null;
  if (!event) throw new AppError('NOT_FOUND');
  const existing = await listTicketTypeRows(tx, event.id);
  if (existing.some((type) => type.currency !== input.price.currency)) {
    throw new AppError('VALIDATION_FAILED', { fieldErrors: { 'price.currency': ['currency'] } });
  }
  const [row] = await tx
    .insert(ticketTypes)
    .values({
      eventId: event.id,
      name: input.name,
      priceAmount: input.price.amount,
      currency: input.price.currency,
      quantity: input.quantity ?? null,
      salesEndAt: input.salesEndAt ? new Date(input.salesEndAt) : null,
    })
    .returning();
  if (!row) throw new Error('insert into ticket_types returned no row');
  return toTicketTypeDto(event, row, await holdsOf(tx, event.id));
}

/** A price change never touches existing orders: their items froze the price they were ordered at. */
export async function updateTicketType(
  tx: Tx,
  { eventId, ownerId, ticketTypeId }: { eventId: string; ownerId: string; ticketTypeId: string },
  patch: UpdateTicketTypeData,
): Promise<TicketTypeDto> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, ownerId }) : null;
  const current = event && isUuid(ticketTypeId) ? await lockTicketType(tx, { id: ticketTypeId, eventId: event.id }) : null;
  if (!event || !current) throw new AppError('NOT_FOUND');
  const holds = await holdsOf(tx, event.id);
  const held = holds.byType.get(current.id) ?? 0;
  if (patch.quantity !== undefined && patch.quantity !== null && patch.quantity < current.soldCount + held) {
    throw new AppError('QUANTITY_BELOW_SOLD', { details: { sold: current.soldCount, held } });
  }
  if (patch.price && patch.price.currency !== current.currency) {
    // One currency per event, for good: once anyone ordered, totals would mix currencies.
    const [ordered] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.eventId, event.id)).limit(1);
    if (ordered) throw new AppError('CURRENCY_LOCKED');
    const others = await listTicketTypeRows(tx, event.id);
    if (others.some((type) => type.id !== current.id)) throw new AppError('VALIDATION_FAILED', { fieldErrors: { 'price.currency': ['currency'] } });
  }
  const [row] = await tx
    .update(ticketTypes)
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.price !== undefined && { priceAmount: patch.price.amount, currency: patch.price.currency }),
      ...(patch.quantity !== undefined && { quantity: patch.quantity }),
      ...(patch.salesEndAt !== undefined && { salesEndAt: patch.salesEndAt ? new Date(patch.salesEndAt) : null }),
      updatedAt: sql`now()`,
    })
    .where(eq(ticketTypes.id, current.id))
    .returning();
  if (!row) throw new Error('update of ticket_types returned no row');
  return toTicketTypeDto(event, row, holds);
}

// ---- orders (guest) ----------------------------------------------------------

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
  assertOpen(event);
  const { types: typeRows, holds } = await ticketTypesAndHolds(tx, event.id);
  const types = new Map(typeRows.map((type) => [type.id, type]));
  const wanted = input.items.reduce((n, item) => n + item.quantity, 0);
  const items: ItemWithName[] = [];
  for (const item of input.items) {
    const type = types.get(item.ticketTypeId);
    if (!type) throw new AppError('VALIDATION_FAILED', { fieldErrors: { items: ['ticketItems'] } });
    if (!onSale(type)) throw new AppError('REGISTRATION_CLOSED', { details: { ticketTypeId: type.id } });
    const available = typeAvailable(event, type, holds);
    if (item.quantity > available) throw new AppError('SOLD_OUT', { details: { ticketTypeId: type.id, available } });
    items.push({ ticketTypeId: type.id, name: type.name, quantity: item.quantity, unitAmount: type.priceAmount });
  }
  if (wanted > eventAvailable(event, holds)) {
    throw new AppError('SOLD_OUT', { details: { ticketTypeId: input.items[0]?.ticketTypeId ?? null, available: eventAvailable(event, holds) } });
  }
  const currency = types.values().next().value?.currency ?? 'eur';
  const total = items.reduce((n, item) => n + item.quantity * item.unitAmount, 0);
  const [order] = await tx
    .insert(orders)
    .values({
      id,
      eventId: event.id,
      status: total === 0 ? 'confirmed' : 'pending_payment',
      name: input.name,
      email: input.email,
      locale: input.locale,
      tokenHash: orderTokenHash(token),
      currency,
      totalAmount: total,
      holdExpiresAt: new Date(Date.now() + holdMs()),
      ...(total === 0 && { confirmedAt: new Date() }),
    })
    .returning();
  if (!order) throw new Error('insert into orders returned no row');
  await writeWithCommit(
    tx,
    tx.insert(orderItems).values(items.map((item) => ({ orderId: order.id, ticketTypeId: item.ticketTypeId, quantity: item.quantity, unitAmount: item.unitAmount }))),
  );
  const manageUrl = orderManageUrl(token);
  if (total === 0) {
    // Free: the same path without a payment; the seats were checked above, under the lock.
    const tickets = await issueTickets(tx, order, items);
    await enqueueForOrder(tx, 'order_confirmed', order, toEventSnapshot(event), { manageUrl, order: receiptOf(order, items, { tickets }) });
  }
  return { order: toOrderDto(order, items, []), paymentUrl: total === 0 ? null : orderPaymentPath(token), manageUrl };
}

/** The order's tickets: one registrations row per seat, confirmed (the trigger counts each against capacity and its type). */
async function issueTickets(tx: Tx, order: OrderRow, items: ItemWithName[]): Promise<{ id: string; ticketType: string }[]> {
  const rows = items.flatMap((item) =>
    Array.from({ length: item.quantity }, () => ({
      eventId: order.eventId,
      name: order.name,
      email: order.email,
      status: 'confirmed' as const,
      tokenHash: tokenHash(newManageToken()),
      locale: order.locale,
      orderId: order.id,
      ticketTypeId: item.ticketTypeId,
    })),
  );
  const inserted = await tx.insert(registrations).values(rows).returning({ id: registrations.id, ticketTypeId: registrations.ticketTypeId });
  const names = new Map(items.map((item) => [item.ticketTypeId, item.name]));
  return inserted.map((row) => ({ id: row.id, ticketType: names.get(row.ticketTypeId ?? '') ?? '' }));
}

function receiptOf(
  order: OrderRow,
  items: ItemWithName[],
  extra: { tickets?: { id: string; ticketType: string }[]; refundAmount?: number; refundReason?: RefundReason } = {},
): NonNullable<OutboxPayload['order']> {
  return {
    number: order.number,
    currency: order.currency,
    total: order.totalAmount,
    items: items.map(({ name, quantity, unitAmount }) => ({ name, quantity, unitAmount })),
    ...extra,
  };
}

export type GuestOrder = { order: OrderDto; event: PublicEventDto; tickets: GuestTicketDto[]; paymentUrl: string | null };

/** The order behind /o/<token>, with its event and tickets; null for an unknown token. */
export async function orderByToken(db: Queryable, token: string): Promise<GuestOrder | null> {
  const row = await readOrderByToken(db, token);
  if (!row) return null;
  const event = await readEvent(db, { id: row.eventId });
  if (!event) return null;
  const items = (await itemsOf(db, [row.id])).get(row.id) ?? [];
  const listed = (await ticketsOf(db, [row.id])).get(row.id) ?? [];
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
    await setOrderStatus(tx, order.id, 'cancelled');
  } else if (order.status === 'confirmed') {
    if (event.startsAt.getTime() <= Date.now()) throw new AppError('REFUND_CLOSED');
    const tickets = (await ticketsOf(tx, [order.id])).get(order.id) ?? [];
    if (tickets.some((ticket) => ticket.checkedInAt !== null)) throw new AppError('ALREADY_ADMITTED');
    const payment = await paymentOf(tx, order.id);
    if (payment) {
      const left = payment.amount - refundedAmount(await refundsOf(tx, [order.id]));
      if (left > 0) await refundLocked(tx, { event, order, payment, amount: left, reason: 'guest' });
    } else {
      await cancelTickets(tx, order.id);
      await setOrderStatus(tx, order.id, 'cancelled');
    }
  }
  const after = await readOrder(tx, order.id);
  if (!after) throw new AppError('NOT_FOUND');
  const items = (await itemsOf(tx, [after.id])).get(after.id) ?? [];
  return { order: toOrderDto(after, items, await refundsOf(tx, [after.id])) };
}

async function setOrderStatus(tx: Tx, orderId: string, status: OrderRow['status']): Promise<void> {
  await tx
    .update(orders)
    .set({ status, updatedAt: sql`now()`, ...(status === 'confirmed' && { confirmedAt: sql`now()` }) })
    .where(eq(orders.id, orderId));
}

/** Cancels the order's confirmed tickets (or the one named); their seats go back to the event and their types. */
async function cancelTickets(tx: Tx, orderId: string, ticketId?: string): Promise<void> {
  await tx
    .update(registrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(and(eq(registrations.orderId, orderId), eq(registrations.status, 'confirmed'), ticketId ? eq(registrations.id, ticketId) : undefined));
}

// ---- payment ---------------------------------------------------------------

/**
 * THE place where an order becomes paid (webhooks of issue 24: `order.paid`
 * goes here): the payment row, the tickets, the order confirmed, the receipt
 * mail. The caller holds the event's and the order's locks and has checked
 * the seats are free.
 */
async function markOrderPaid(tx: Tx, event: EventRow, order: OrderRow, items: ItemWithName[]): Promise<void> {
  const tickets = await issueTickets(tx, order, items);
  await setOrderStatus(tx, order.id, 'confirmed');
  // The token is derived from the order's id, so the receipt carries the link to the order page and its QR codes.
  const manageUrl = orderManageUrl(issuedOrderTokenOf(order));
  await enqueueForOrder(tx, 'order_confirmed', order, toEventSnapshot(event), { manageUrl, order: receiptOf(order, items, { tickets }) });
  await emitOrderWebhook(tx, event.ownerId, 'order.paid', order.id);
}

/** `order.paid` / `order.refunded`: the order as the organiser's orders list shows it, as it stands in this transaction. */
async function emitOrderWebhook(tx: Tx, organiserId: string, type: 'order.paid' | 'order.refunded', orderId: string): Promise<void> {
  const row = await readOrder(tx, orderId);
  if (!row) return;
  const [order] = await toOrganiserOrders(tx, [row]);
  await emitWebhook(tx, { organiserId, type, data: { order } });
}

/** Whether the order's seats are free now, its own hold aside (a late payment's seats may have gone to others). */
async function seatsFreeFor(tx: Tx, event: EventRow, order: OrderRow, items: ItemWithName[]): Promise<boolean> {
  const { types: typeRows, holds } = await ticketTypesAndHolds(tx, event.id, order.id);
  const types = new Map(typeRows.map((type) => [type.id, type]));
  const wanted = items.reduce((n, item) => n + item.quantity, 0);
  if (wanted > eventAvailable(event, holds)) return false;
  return items.every((item) => {
    const type = types.get(item.ticketTypeId);
    return type !== undefined && item.quantity <= typeAvailable(event, type, holds);
  });
}

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
  | 'refund_updated'
  | 'refund_unknown'
  | 'ignored';

/**
 * A provider's event about a ticket order or a refund, applied in the inbox's
 * transaction (lib/billing/purchases.ts, recordPaymentEvent, which records
 * the event id first: a redelivery changes nothing). Handed to the inbox by
 * the webhook route and the test payment page.
 */
export async function applyOrderPaymentEvent(tx: Tx, event: PaymentEvent): Promise<{ outcome: OrderEventOutcome; orderId: string | null }> {
  if (event.refund) return applyRefundEvent(tx, event.refund);
  if (event.charge) return applyChargeEvent(tx, event.charge);
  const session = event.session;
  const orderId = session?.orderId ?? null;
  const found = orderId ? await readOrder(tx, orderId) : null;
  if (!session || !found) return { outcome: 'order_unknown', orderId: null };
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
  if (event.type !== 'checkout.session.completed' && event.type !== 'checkout.session.async_payment_succeeded') return { outcome: 'ignored', ...at };
  if (!session.paid) return { outcome: 'order_not_paid', ...at };
  if (session.amountTotal !== order.totalAmount || session.currency !== order.currency) return { outcome: 'order_mismatch', ...at };
  if (await paymentOf(tx, order.id)) return { outcome: 'order_already_paid', ...at };
  if (order.providerSessionId === null) {
    await tx.update(orders).set({ provider: event.provider, providerSessionId: session.id }).where(eq(orders.id, order.id));
  }
  const [payment] = await tx
    .insert(payments)
    .values({ orderId: order.id, provider: event.provider, providerPaymentId: session.paymentId ?? null, amount: session.amountTotal, currency: order.currency })
    .returning();
  if (!payment) throw new Error('insert into payments returned no row');
  const items = (await itemsOf(tx, [order.id])).get(order.id) ?? [];
  const late = order.status !== 'pending_payment' || order.holdExpiresAt.getTime() <= Date.now();
  if (eventRow.status !== 'published') {
    // Paid for an event cancelled meanwhile: all of it goes back, with the cancellation's mail.
    await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'event_cancelled' });
    return { outcome: 'order_refunded_no_seats', ...at };
  }
  if (eventRow.startsAt.getTime() <= Date.now()) {
    // Paid (asynchronously) after the event started: nobody can use the tickets now. All of it goes back.
    await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'late_payment_event_started' });
    return { outcome: 'order_refunded_event_started', ...at };
  }
  if (await seatsFreeFor(tx, eventRow, order, items)) {
    await markOrderPaid(tx, eventRow, order, items);
    return { outcome: late ? 'order_paid_late' : 'order_paid', ...at };
  }
  // Paid too late: the seats went to others meanwhile. All of it goes back, and the mail says why.
  await refundWithoutSeats(tx, { event: eventRow, order, payment, reason: 'late_payment_no_seats' });
  return { outcome: 'order_refunded_no_seats', ...at };
}

/**
 * A payment that gets no seats: the order leaves `pending_payment` (expired
 * when its hold ran out, cancelled otherwise, so its page never offers to pay
 * again) and all of the money goes back; it becomes `refunded` when the
 * provider says so.
 */
async function refundWithoutSeats(tx: Tx, { event, order, payment, reason }: { event: EventRow; order: OrderRow; payment: PaymentRow; reason: RefundReason }): Promise<void> {
  if (order.status === 'pending_payment') await setOrderStatus(tx, order.id, order.holdExpiresAt.getTime() <= Date.now() ? 'expired' : 'cancelled');
  await refundLocked(tx, { event, order, payment, amount: payment.amount, reason });
}

// ---- holds -------------------------------------------------------------------

/** Expires the given pending orders (their holds stop counting at once) and mails each guest. */
async function expireOrders(tx: Tx, rows: OrderRow[]): Promise<void> {
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
 * at a time (SKIP LOCKED: an order a webhook is confirming right now is left
 * to it). Availability never counted them already; this frees them for good
 * and tells the guest. Returns how many it expired.
 */
export async function sweepExpiredHolds(tx: Tx, batch = 100): Promise<number> {
  const due = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.status, 'pending_payment'), lt(orders.holdExpiresAt, sql`now()`)))
    .orderBy(orders.holdExpiresAt)
    .limit(batch)
    .for('update', { skipLocked: true });
  await expireOrders(tx, due);
  if (due.length > 0) logLine('info', 'tickets.holds_expired', { count: due.length });
  return due.length;
}

// ---- refunds ---------------------------------------------------------------
//
// A refund is a row first (pending), sent to the provider by the refund
// worker after the commit, and read back until the provider settles it. Seats
// follow the money: the tickets a refund gives up (all of them when the
// order's money is all back, or the one ticket it names) are cancelled when
// the provider reports it succeeded, never before, so a refund the provider
// fails leaves the guest their tickets (orders_paid_keep_seats_or_refund
// holds that at commit, whoever writes).

type RefundLocked = {
  event: EventRow;
  order: OrderRow;
  payment: PaymentRow;
  amount: number | undefined;
  reason: RefundReason;
  /** The ticket it gives back, cancelled when the refund succeeds. */
  ticketId?: string;
};

/**
 * Writes a pending refund row under the event's and the order's locks (the
 * trigger refunds_within_payment checks the sum once more, under the
 * payment's lock). The provider is asked by the refund worker after the
 * commit (key `refund-<id>`), so a crash in between refunds once, later.
 */
async function refundLocked(tx: Tx, { event, order, payment, amount, reason, ticketId }: RefundLocked): Promise<RefundRow> {
  const already = refundedAmount(await refundsOf(tx, [order.id]));
  const refundable = payment.amount - already;
  const value = amount ?? refundable;
  if (refundable <= 0 || value > refundable) throw new AppError('REFUND_EXCEEDS_PAID', { details: { refundable } });
  let row: RefundRow | undefined;
  try {
    [row] = await tx.insert(refunds).values({ orderId: order.id, paymentId: payment.id, amount: value, reason, registrationId: ticketId ?? null }).returning();
  } catch (error) {
    if (isCheckViolation(error)) throw new AppError('REFUND_EXCEEDS_PAID', { details: { refundable } });
    throw error;
  }
  if (!row) throw new Error('insert into refunds returned no row');
  if (reason === 'event_cancelled') {
    const items = (await itemsOf(tx, [order.id])).get(order.id) ?? [];
    await enqueueForOrder(tx, 'order_event_cancelled', order, toEventSnapshot(event), { order: receiptOf(order, items, { refundAmount: value, refundReason: reason }) });
  }
  afterCommit(tx, wakeRefunds);
  return row;
}

/** The organiser refunds an order, in full (no amount) or in part. */
export async function requestRefund(
  tx: Tx,
  { eventId, orderId, ownerId, amount }: { eventId: string; orderId: string; ownerId: string; amount: number | undefined },
): Promise<{ refund: RefundDto }> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, ownerId }) : null;
  const order = event ? await lockOrder(tx, { id: orderId, eventId: event.id }) : null;
  if (!event || !order) throw new AppError('NOT_FOUND');
  const payment = await paymentOf(tx, order.id);
  if (!payment) throw new AppError('ORDER_NOT_PAID');
  const row = await refundLocked(tx, { event, order, payment, amount, reason: 'organiser' });
  return { refund: toRefundDto(row) };
}

/**
 * The organiser retries a refund the provider failed: the same row goes back
 * to pending (counted against the payment again) and the worker sends it as a
 * new provider request, `refund-<id>-retry-<n>` (the provider would answer
 * the failed refund again under the first key). A refund not failed answers
 * as it is.
 */
export async function retryRefund(
  tx: Tx,
  { eventId, orderId, refundId, ownerId }: { eventId: string; orderId: string; refundId: string; ownerId: string },
): Promise<{ refund: RefundDto }> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, ownerId }) : null;
  const order = event ? await lockOrder(tx, { id: orderId, eventId: event.id }) : null;
  const current = order ? await lockRefund(tx, { id: refundId }) : null;
  if (!order || !current || current.orderId !== order.id) throw new AppError('NOT_FOUND');
  if (current.status !== 'failed') return { refund: toRefundDto(current) };
  let row: RefundRow | undefined;
  try {
    [row] = await tx
      .update(refunds)
      .set({ status: 'pending', retries: sql`${refunds.retries} + 1`, providerRefundId: null, lastError: null, nextAttemptAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(refunds.id, current.id))
      .returning();
  } catch (error) {
    // refunds_within_payment counts it again: other refunds covered the payment meanwhile.
    if (isCheckViolation(error)) throw new AppError('REFUND_EXCEEDS_PAID', { details: { refundable: 0 } });
    throw error;
  }
  if (!row) throw new Error('update of refunds returned no row');
  afterCommit(tx, wakeRefunds);
  return { refund: toRefundDto(row) };
}

/**
 * An event is cancelled (called by the event's update in its transaction,
 * under the event's lock): every paid order is refunded in full (one refund
 * row each, sent by the refund worker: each exactly once) and its guest told;
 * pending orders are cancelled, their holds freed.
 */
export async function refundCancelledEvent(tx: Tx, event: EventRow): Promise<void> {
  const rows = await tx.select().from(orders).where(and(eq(orders.eventId, event.id), inArray(orders.status, ['confirmed', 'pending_payment']))).for('update');
  for (const order of rows) {
    if (order.status === 'pending_payment') {
      await setOrderStatus(tx, order.id, 'cancelled');
      continue;
    }
    const payment = await paymentOf(tx, order.id);
    if (!payment) continue; // free tickets: the registrants' event_cancelled mail tells them
    const left = payment.amount - refundedAmount(await refundsOf(tx, [order.id]));
    if (left > 0) await refundLocked(tx, { event, order, payment, amount: left, reason: 'event_cancelled' });
  }
}

/**
 * THE place where a refund succeeds (webhooks of issue 24: `order.refunded`
 * goes here): the row becomes succeeded; the ticket it names is cancelled,
 * and once the order's money is all back, every ticket and the order with
 * them; the guest gets the mail that says how much and why (a cancelled
 * event's guests were told already). Applied once: a refund no longer
 * pending changes nothing.
 */
export async function markRefundSucceeded(tx: Tx, refund: RefundRow, providerRefundId: string | null): Promise<void> {
  const [settled] = await tx
    .update(refunds)
    .set({ status: 'succeeded', updatedAt: sql`now()`, ...(providerRefundId && { providerRefundId }) })
    .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending')))
    .returning();
  if (!settled) return;
  const order = await readOrder(tx, refund.orderId);
  const event = order ? await readEvent(tx, { id: order.eventId }) : null;
  const payment = order ? await paymentOf(tx, order.id) : null;
  if (!order || !event || !payment) return;
  if (settled.registrationId) await cancelTickets(tx, order.id, settled.registrationId);
  const back = refundsIn(await refundsOf(tx, [order.id]), 'succeeded');
  if (back >= payment.amount) {
    await cancelTickets(tx, order.id);
    if (order.status !== 'refunded') await setOrderStatus(tx, order.id, 'refunded');
  }
  await emitOrderWebhook(tx, event.ownerId, 'order.refunded', order.id);
  if (settled.reason === 'event_cancelled') return;
  const items = (await itemsOf(tx, [order.id])).get(order.id) ?? [];
  await enqueueForOrder(tx, 'order_refunded', order, toEventSnapshot(event), {
    order: receiptOf(order, items, { refundAmount: settled.amount, refundReason: settled.reason }),
  });
}

/**
 * THE place where a refund fails at the provider: the row says so (the
 * organiser's orders page offers a retry), the seats stay where they are, and
 * the guest is told nothing was refunded. Applied once, as a success is.
 */
export async function markRefundFailed(tx: Tx, refund: RefundRow, providerRefundId: string | null, why: string): Promise<void> {
  const [failed] = await tx
    .update(refunds)
    .set({ status: 'failed', lastError: `provider: ${why}`.slice(0, 500), updatedAt: sql`now()`, ...(providerRefundId && { providerRefundId }) })
    .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending')))
    .returning();
  if (!failed) return;
  logLine('error', 'tickets.refund_failed', { refundId: failed.id, orderId: failed.orderId });
  const order = await readOrder(tx, failed.orderId);
  const event = order ? await readEvent(tx, { id: order.eventId }) : null;
  if (!order || !event) return;
  const items = (await itemsOf(tx, [order.id])).get(order.id) ?? [];
  // The tickets it kept, so the mail can say they are still valid (a late payment that got none has none).
  const kept = ((await ticketsOf(tx, [order.id])).get(order.id) ?? []).filter((ticket) => ticket.status === 'confirmed');
  await enqueueForOrder(tx, 'order_refund_failed', order, toEventSnapshot(event), {
    manageUrl: orderManageUrl(issuedOrderTokenOf(order)),
    order: receiptOf(order, items, { refundAmount: failed.amount, refundReason: failed.reason, tickets: kept.map((t) => ({ id: t.id, ticketType: t.ticketType })) }),
  });
}

/** A provider's word on a refund, whoever brought it (the worker's read, a webhook): applied once. */
export async function settleRefund(tx: Tx, refund: RefundRow, answer: ProviderRefund): Promise<void> {
  if (refund.status !== 'pending') return;
  if (answer.status === 'succeeded') await markRefundSucceeded(tx, refund, answer.providerRefundId);
  else if (answer.status === 'failed') await markRefundFailed(tx, refund, answer.providerRefundId, answer.failure ?? 'failed');
  else if (refund.providerRefundId === null) {
    await tx.update(refunds).set({ providerRefundId: answer.providerRefundId, updatedAt: sql`now()` }).where(eq(refunds.id, refund.id));
  }
}

async function lockRefund(tx: Tx, where: { id: string } | { providerRefundId: string }): Promise<RefundRow | null> {
  const condition = 'id' in where ? (isUuid(where.id) ? eq(refunds.id, where.id) : undefined) : eq(refunds.providerRefundId, where.providerRefundId);
  if (!condition) return null;
  const rows = await tx.select().from(refunds).where(condition).for('update').limit(1);
  return rows[0] ?? null;
}

/** `refund.updated` and friends: a pending refund becomes succeeded or failed. */
async function applyRefundEvent(tx: Tx, refund: ProviderRefundEvent): Promise<{ outcome: OrderEventOutcome; orderId: string | null }> {
  const row = (refund.refundId ? await lockRefund(tx, { id: refund.refundId }) : null) ?? (await lockRefund(tx, { providerRefundId: refund.id }));
  if (!row) return { outcome: 'refund_unknown', orderId: null };
  await settleRefund(tx, row, { providerRefundId: refund.id, status: providerRefundStatus(refund.status), failure: refund.status });
  return { outcome: 'refund_updated', orderId: row.orderId };
}

/**
 * `charge.refunded`: the charge lists its refunds when the API version
 * includes them, and each is applied as `refund.updated` is; without them,
 * the payment's pending refunds are read back from the provider at once by
 * the worker (never created again).
 */
async function applyChargeEvent(tx: Tx, charge: NonNullable<PaymentEvent['charge']>): Promise<{ outcome: OrderEventOutcome; orderId: string | null }> {
  const [payment] = charge.paymentId ? await tx.select().from(payments).where(eq(payments.providerPaymentId, charge.paymentId)).limit(1) : [];
  if (!payment) return { outcome: 'refund_unknown', orderId: null };
  if (charge.refunds) {
    for (const refund of charge.refunds) await applyRefundEvent(tx, refund);
  } else {
    await tx
      .update(refunds)
      .set({ nextAttemptAt: sql`now()` })
      .where(and(eq(refunds.paymentId, payment.id), eq(refunds.status, 'pending')));
    afterCommit(tx, wakeRefunds);
  }
  return { outcome: 'refund_updated', orderId: payment.orderId };
}

// ---- the organiser cancels one ticket -----------------------------------------

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
  { eventId, registrationId, ownerId }: { eventId: string; registrationId: string; ownerId: string },
): Promise<CancelledAttendee> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, ownerId }) : null;
  const ticket = event && isUuid(registrationId) ? await lockRegistration(tx, { id: registrationId, eventId: event.id }) : null;
  if (!event || !ticket) throw new AppError('NOT_FOUND');
  if (ticket.orderId === null) {
    return { ...(await cancelRegistration(tx, { eventId: event.id, registrationId: ticket.id, by: { ownerId } })), refund: null };
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
    const retried = await retryRefund(tx, { eventId: event.id, orderId: order.id, refundId: failed.id, ownerId });
    return { registration: toRegistrationDto(ticket, null), refund: retried.refund };
  }
  const confirmed = ((await ticketsOf(tx, [order.id])).get(order.id) ?? []).filter((t) => t.status === 'confirmed');
  const price = ((await itemsOf(tx, [order.id])).get(order.id) ?? []).find((item) => item.ticketTypeId === ticket.ticketTypeId)?.unitAmount ?? 0;
  const left = payment ? payment.amount - refundedAmount(all) : 0;
  const last = confirmed.length === 1 && confirmed[0]?.id === ticket.id;
  const amount = last ? left : Math.min(price, left);
  const orderRefundUnderWay = all.find((r) => r.status === 'pending' && r.registrationId === null);
  if (payment && amount <= 0 && orderRefundUnderWay) return answer(orderRefundUnderWay);
  if (!payment || amount <= 0) {
    // Nothing (more) to give back: a free order's ticket, or one whose money came back already.
    await cancelTickets(tx, order.id, ticket.id);
    if (last && order.status === 'confirmed') await setOrderStatus(tx, order.id, payment ? 'refunded' : 'cancelled');
    const [after] = await tx.select().from(registrations).where(eq(registrations.id, ticket.id));
    return answer(null, after ?? ticket);
  }
  const refund = await refundLocked(tx, { event, order, payment, amount, reason: 'organiser', ticketId: ticket.id });
  return answer(refund);
}

// ---- the organiser's orders --------------------------------------------------

const PAGE = 50;

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  // The shared decoder holds the time to what Postgres accepts (1970–9999): else year 0 is a 500.
  const decoded = cursor ? keysetCursorOrThrow(cursor, 'pipe') : null;
  return decoded && { createdAt: new Date(decoded.createdAt), id: decoded.id };
}

export async function listOrders(db: Queryable, { eventId, ownerId }: { eventId: string; ownerId: string }, query: ListOrdersQuery): Promise<OrderList | null> {
  const event = isUuid(eventId) ? await readEvent(db, { id: eventId, ownerId }) : null;
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
  return { orders: await toOrganiserOrders(db, page), nextCursor, totals: await totalsOf(db, event.id) };
}
