// The owner of refunds: every write of a refund row is here. A refund is a
// row first (pending), written in the transaction that decides it; the refund
// worker (refund-worker.ts) claims due rows, asks the provider once (key
// `refund-<id>`) and records the answer through this module; a provider's
// word, whoever brings it (the worker's read, `refund.updated`,
// `charge.refunded`), is applied once, by `settleRefund`. Seats follow the
// money: the tickets a refund gives up (all of them when the order's money is
// all back, or the one ticket it names) are cancelled when the provider
// reports it succeeded, never before, so a refund the provider fails leaves
// the guest their tickets (orders_paid_keep_seats_or_refund holds that at
// commit, whoever writes). The arithmetic is refund-amounts.ts.
//
// The organiser's view of an order (with its payments and refunds) is put
// together here too: this is the lowest module that reads all three, and the
// `order.refunded` webhook below needs it.
import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { ProviderRefundEvent } from '@/lib/billing/purchases';
import { providerRefundStatus, type ProviderRefund } from '@/lib/billing/payments/refund-status';
import type { Database, Queryable, Tx } from '@/lib/db/pool';
import { isCheckViolation } from '@/lib/db/errors';
import { safeInteger } from '@/lib/db/numbers';
import { afterCommit } from '@/lib/db/transaction';
import { orderItems, orders, payments, refunds, type EventRow, type OrderRow, type PaymentRow, type RefundReason, type RefundRow } from '@/lib/db/schema';
import { answersOfOrders, answersOfRegistrations } from '@/lib/questions/answers';
import { AppError } from '@/lib/errors';
import { lockEvent, readEvent, toEventSnapshot } from '@/lib/events/event-row';
import { logLine } from '@/lib/log';
import { enqueueForOrder } from '@/lib/outbox/enqueue';
import { cancelTickets } from '@/lib/registrations/tickets';
import { emitWebhook, listensTo } from '@/lib/webhooks/emit';
import type { PaymentProviderName } from '@/lib/enums';
import { isUuid } from '@/lib/ids';
import { issuedOrderTokenOf, orderManageUrl } from './order-token';
import { itemsOf, itemsOfOrder, lockOrder, readOrder, receiptOf, setOrderStatus, ticketsOf, ticketsOfOrder, toOrderDto, type ItemWithName } from './orders';
import { paymentByProviderId, paymentOf, paymentsOf, toPaymentDto } from './payments';
import { refundFee } from '@/lib/payouts/fees';
import { afterRefundSucceeded, refundableOf, refundToWrite } from './refund-amounts';
import type { OrderList, OrganiserOrderDto, PaymentDto, RefundDto, TicketDto } from './schemas';
import { wakeRefunds } from '@/lib/jobs/wake';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '@/lib/audit';

// ---- reads and shapes ------------------------------------------------------------

export async function refundsOf(db: Queryable, orderIds: string[]): Promise<RefundRow[]> {
  if (orderIds.length === 0) return [];
  return db.select().from(refunds).where(inArray(refunds.orderId, orderIds)).orderBy(asc(refunds.createdAt));
}

async function lockRefund(tx: Tx, where: { id: string } | { providerRefundId: string }): Promise<RefundRow | null> {
  const condition = 'id' in where ? (isUuid(where.id) ? eq(refunds.id, where.id) : undefined) : eq(refunds.providerRefundId, where.providerRefundId);
  if (!condition) return null;
  const rows = await tx.select().from(refunds).where(condition).for('update').limit(1);
  return rows[0] ?? null;
}

export function toRefundDto(row: RefundRow): RefundDto {
  return { id: row.id, amount: row.amount, fee: row.feeAmount, status: row.status, reason: row.reason, ticketId: row.registrationId, createdAt: row.createdAt.toISOString() };
}

/** The order as the organiser's orders list shows it, from its parts. */
export function toOrganiserOrder(
  row: OrderRow,
  parts: { items: ItemWithName[]; tickets: TicketDto[]; payments: PaymentDto[]; refunds: RefundRow[] },
): OrganiserOrderDto {
  return {
    ...toOrderDto(row, parts.items, parts.refunds),
    fee: row.feeAmount,
    email: row.email,
    name: row.name,
    tickets: parts.tickets,
    payments: parts.payments,
    refunds: parts.refunds.map(toRefundDto),
  };
}

/** Orders with their items, tickets, payments and refunds, shaped for the organiser (a few queries for the page, not one per order). */
export async function organiserOrdersOf(db: Queryable, rows: OrderRow[]): Promise<OrganiserOrderDto[]> {
  const ids = rows.map((row) => row.id);
  // One after another: `db` may be a transaction, one connection, where queries sent together queue up
  // (pg's "client.query() when the client is already executing a query" DeprecationWarning).
  const items = await itemsOf(db, ids);
  const tickets = await ticketsOf(db, ids);
  const paid = await paymentsOf(db, ids);
  const returned = await refundsOf(db, ids);
  return rows.map((row) =>
    toOrganiserOrder(row, {
      items: items.get(row.id) ?? [],
      tickets: tickets.get(row.id) ?? [],
      payments: paid.filter((p) => p.orderId === row.id).map(toPaymentDto),
      refunds: returned.filter((r) => r.orderId === row.id),
    }),
  );
}

/** The organiser's totals for an event, from payment and refund rows alone. */
export async function totalsOf(db: Queryable, eventId: string): Promise<OrderList['totals']> {
  // sum(integer) is bigint, left so: a cast to int fails past 2^31 minor units (three orders of 1e9); safeInteger keeps JSON exact.
  const [paid] = await db
    .select({ amount: sql<string>`coalesce(sum(${payments.amount}), 0)`.mapWith(safeInteger), currency: sql<string | null>`min(${payments.currency})` })
    .from(payments)
    .innerJoin(orders, eq(orders.id, payments.orderId))
    .where(eq(orders.eventId, eventId));
  const [returned] = await db
    .select({ amount: sql<string>`coalesce(sum(${refunds.amount}), 0)`.mapWith(safeInteger) })
    .from(refunds)
    .innerJoin(orders, eq(orders.id, refunds.orderId))
    .where(and(eq(orders.eventId, eventId), ne(refunds.status, 'failed')));
  // What codes took off the orders that were paid or confirmed free.
  const [discounted] = await db
    .select({ amount: sql<string>`coalesce(sum(${orderItems.unitDiscount} * ${orderItems.quantity}), 0)`.mapWith(safeInteger) })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(
      and(
        eq(orders.eventId, eventId),
        sql`${orderItems.unitDiscount} > 0`,
        sql`(${orders.status} = 'confirmed' or exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id}))`,
      ),
    );
  const paidAmount = paid?.amount ?? 0;
  const refundedTotal = returned?.amount ?? 0;
  return { paid: paidAmount, refunded: refundedTotal, net: paidAmount - refundedTotal, discounts: discounted?.amount ?? 0, currency: paid?.currency ?? null };
}

/** The orders with their answers (docs/api.md, "Questions"): the order's, and each ticket's holder's, as given. */
export async function withOrderAnswers(db: Queryable, listed: OrganiserOrderDto[]): Promise<OrganiserOrderDto[]> {
  const ofOrders = await answersOfOrders(db, listed.map((order) => order.id));
  const ofTickets = await answersOfRegistrations(db, listed.flatMap((order) => order.tickets.map((ticket) => ({ id: ticket.id, orderId: null }))));
  return listed.map((order) => ({
    ...order,
    answers: ofOrders.get(order.id) ?? [],
    tickets: order.tickets.map((ticket) => ({ ...ticket, answers: ofTickets.get(ticket.id) ?? [] })),
  }));
}

/**
 * `order.paid` / `order.refunded`: the order as the organiser's orders list
 * shows it, as it stands in this transaction; built only when an endpoint
 * listens (`known` hands in an order already shaped).
 */
export async function emitOrderWebhook(
  tx: Tx,
  teamId: string,
  type: 'order.paid' | 'order.refunded',
  order: { id: string } | { known: OrganiserOrderDto },
): Promise<void> {
  if ('known' in order) {
    const [known] = await withOrderAnswers(tx, [order.known]);
    await emitWebhook(tx, { teamId, type, data: { order: known } });
    return;
  }
  if (!(await listensTo(tx, teamId, type))) return;
  const row = await readOrder(tx, order.id);
  if (!row) return;
  const [shaped] = await withOrderAnswers(tx, await organiserOrdersOf(tx, [row]));
  await emitWebhook(tx, { teamId, type, data: { order: shaped } });
}

// ---- writing a refund ---------------------------------------------------------------

type RefundLocked = {
  event: EventRow;
  order: OrderRow;
  payment: PaymentRow;
  /** Undefined: all that is left. */
  amount: number | undefined;
  reason: RefundReason;
  /** The ticket it gives back, cancelled when the refund succeeds. */
  ticketId?: string;
  /** The order's refunds, when the caller read them already under its locks. */
  refunds?: RefundRow[];
  /** Who refunds, for the audit log: the organiser's user or key; SYSTEM_ACTOR for a guest's own cancellation, a cancelled event or a late payment. */
  actor: AuditActor;
};

/** A refund's audit entry (docs/api.md, "Teams, roles and door devices"): amounts in minor units, no guest's data. */
async function auditRefund(tx: Tx, event: EventRow, actor: AuditActor, action: 'order.refunded' | 'order.refund_retried', refund: RefundRow, currency: string): Promise<void> {
  await recordAudit(tx, {
    teamId: event.teamId,
    actor,
    action,
    target: { type: 'order', id: refund.orderId },
    details: { refundId: refund.id, amount: refund.amount, currency, reason: refund.reason, ticketId: refund.registrationId, eventId: event.id },
  });
}

/**
 * Writes a pending refund row under the event's and the order's locks (the
 * trigger refunds_within_payment checks the sum once more, under the
 * payment's lock). The provider is asked by the refund worker after the
 * commit (key `refund-<id>`), so a crash in between refunds once, later.
 */
export async function refundLocked(tx: Tx, { event, order, payment, amount, reason, ticketId, refunds: known, actor }: RefundLocked): Promise<RefundRow> {
  const rows = known ?? (await refundsOf(tx, [order.id]));
  const decided = refundToWrite(payment.amount, rows, amount);
  if ('refused' in decided) throw new AppError('REFUND_EXCEEDS_PAID', { details: { refundable: decided.refundable } });
  let row: RefundRow | undefined;
  try {
    [row] = await tx
      .insert(refunds)
      .values({
        orderId: order.id,
        paymentId: payment.id,
        amount: decided.amount,
        reason,
        registrationId: ticketId ?? null,
        // Its part of the platform's fee (docs/api.md, "Organiser payouts": the rounding rule); 0 without a fee.
        feeAmount: refundFee({
          fee: order.feeAmount,
          paid: payment.amount,
          amount: decided.amount,
          earlier: rows.filter((r) => r.status !== 'failed').map((r) => ({ amount: r.amount, fee: r.feeAmount })),
        }),
      })
      .returning();
  } catch (error) {
    if (isCheckViolation(error)) throw new AppError('REFUND_EXCEEDS_PAID', { details: { refundable: refundableOf(payment.amount, rows) } });
    throw error;
  }
  if (!row) throw new Error('insert into refunds returned no row');
  await auditRefund(tx, event, actor, 'order.refunded', row, payment.currency);
  if (reason === 'event_cancelled') {
    const items = await itemsOfOrder(tx, order.id);
    await enqueueForOrder(tx, 'order_event_cancelled', order, toEventSnapshot(event), {
      order: receiptOf(order, items, { refundAmount: decided.amount, refundReason: reason }),
    });
  }
  afterCommit(tx, wakeRefunds);
  return row;
}

/**
 * A payment that gets no seats: the order leaves `pending_payment` (expired
 * when its hold ran out, cancelled otherwise, so its page never offers to pay
 * again) and all of the money goes back; it becomes `refunded` when the
 * provider says so.
 */
export async function refundWithoutSeats(
  tx: Tx,
  { event, order, payment, reason, holdRanOut }: { event: EventRow; order: OrderRow; payment: PaymentRow; reason: RefundReason; holdRanOut: boolean },
): Promise<void> {
  if (order.status === 'pending_payment') {
    if (holdRanOut) await setOrderStatus(tx, order, 'expired');
    else await setOrderStatus(tx, order, 'cancelled', reason === 'event_cancelled' ? 'event_cancelled' : 'late_payment');
  }
  await refundLocked(tx, { event, order, payment, amount: payment.amount, reason, refunds: [], actor: SYSTEM_ACTOR });
}

/** The organiser refunds an order, in full (no amount) or in part. */
export async function requestRefund(
  tx: Tx,
  { eventId, orderId, teamId, amount, actor }: { eventId: string; orderId: string; teamId: string; amount: number | undefined; actor: AuditActor },
): Promise<{ refund: RefundDto }> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  const order = event ? await lockOrder(tx, { id: orderId, eventId: event.id }) : null;
  if (!event || !order) throw new AppError('NOT_FOUND');
  const payment = await paymentOf(tx, order.id);
  if (!payment) throw new AppError('ORDER_NOT_PAID');
  const row = await refundLocked(tx, { event, order, payment, amount, reason: 'organiser', actor });
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
  { eventId, orderId, refundId, teamId, actor }: { eventId: string; orderId: string; refundId: string; teamId: string; actor: AuditActor },
): Promise<{ refund: RefundDto }> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  const order = event ? await lockOrder(tx, { id: orderId, eventId: event.id }) : null;
  const current = order ? await lockRefund(tx, { id: refundId }) : null;
  if (!event || !order || !current || current.orderId !== order.id) throw new AppError('NOT_FOUND');
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
  await auditRefund(tx, event, actor, 'order.refund_retried', row, order.currency);
  afterCommit(tx, wakeRefunds);
  return { refund: toRefundDto(row) };
}

// ---- a cancelled event's orders --------------------------------------------------------

/**
 * Orders a cancelled event still owes something: pending ones (to cancel) and
 * paid confirmed ones with money left and no cancellation refund yet. The
 * event's status is the durable marker (committed with the cancellation), so
 * whatever crashes, the next round finds what is still owed.
 */
export async function ordersOwedByCancelledEvents(db: Queryable, limit: number): Promise<string[]> {
  const result = await db.execute<{ id: string }>(sql`
    select o.id from orders o join events e on e.id = o.event_id
    where e.status = 'cancelled'
      and (o.status = 'pending_payment'
        or (o.status = 'confirmed'
          and exists (select 1 from payments p where p.order_id = o.id
            and p.amount > coalesce((select sum(r.amount) from refunds r where r.order_id = o.id and r.status <> 'failed'), 0))
          and not exists (select 1 from refunds r where r.order_id = o.id and r.reason = 'event_cancelled')))
    order by o.created_at, o.id
    limit ${limit}`);
  return result.rows.map((row) => row.id);
}

/**
 * One order of a cancelled event, in its own transaction: a pending order is
 * cancelled; a paid one is refunded all that is left (one `event_cancelled`
 * refund, ever: a second round finds it and does nothing) and its guest gets
 * the cancellation's mail with the amount. A free order needs nothing: its
 * registrants' `event_cancelled` mail told them.
 */
export async function refundOrderOfCancelledEvent(tx: Tx, orderId: string): Promise<'cancelled' | 'refunded' | 'nothing'> {
  const found = await readOrder(tx, orderId);
  const event = found ? await lockEvent(tx, { id: found.eventId }) : null;
  const order = found && event ? await lockOrder(tx, { id: found.id, eventId: event.id }) : null;
  if (!event || !order || event.status !== 'cancelled') return 'nothing';
  if (order.status === 'pending_payment') {
    await setOrderStatus(tx, order, 'cancelled', 'event_cancelled');
    return 'cancelled';
  }
  if (order.status !== 'confirmed') return 'nothing';
  const payment = await paymentOf(tx, order.id);
  if (!payment) return 'nothing';
  const rows = await refundsOf(tx, [order.id]);
  if (rows.some((r) => r.reason === 'event_cancelled') || refundableOf(payment.amount, rows) <= 0) return 'nothing';
  await refundLocked(tx, { event, order, payment, amount: undefined, reason: 'event_cancelled', refunds: rows, actor: SYSTEM_ACTOR });
  return 'refunded';
}

// ---- the provider's word --------------------------------------------------------------

/**
 * THE place where a refund succeeds: the row becomes succeeded; the ticket it
 * names is cancelled, and once the order's money is all back, every ticket
 * and the order with them (`order.refunded` goes out); the guest gets the
 * mail that says how much and why (a cancelled event's guests were told
 * already). Applied once: a refund no longer pending changes nothing.
 */
async function markRefundSucceeded(tx: Tx, refund: RefundRow, providerRefundId: string | null): Promise<void> {
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
  const after = afterRefundSucceeded(payment.amount, await refundsOf(tx, [order.id]), settled.registrationId);
  if (after.cancelTicket) await cancelTickets(tx, order.id, after.cancelTicket);
  if (after.allBack) {
    await cancelTickets(tx, order.id);
    if (order.status !== 'refunded') await setOrderStatus(tx, order, 'refunded');
  }
  await emitOrderWebhook(tx, event.teamId, 'order.refunded', { id: order.id });
  if (settled.reason === 'event_cancelled') return;
  const items = await itemsOfOrder(tx, order.id);
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
  const items = await itemsOfOrder(tx, order.id);
  // The tickets it kept, so the mail can say they are still valid (a late payment that got none has none).
  const kept = (await ticketsOfOrder(tx, order.id)).filter((ticket) => ticket.status === 'confirmed');
  await enqueueForOrder(tx, 'order_refund_failed', order, toEventSnapshot(event), {
    manageUrl: orderManageUrl(issuedOrderTokenOf(order)),
    order: receiptOf(order, items, { refundAmount: failed.amount, refundReason: failed.reason, tickets: kept.map((t) => ({ id: t.id, ticketType: t.ticketType, reference: t.reference })) }),
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

// ---- the refund worker's marks ------------------------------------------------------------

/**
 * Due pending refunds, claimed for `leaseSeconds` (SKIP LOCKED: any number of
 * workers), of payments made through `providers` only: a process that cannot
 * reach a provider (no STRIPE_SECRET_KEY) leaves that provider's refunds to one
 * that can, instead of failing them into ever longer backoffs.
 */
export async function claimDueRefunds(db: Database, batch: number, leaseSeconds: number, providers: readonly PaymentProviderName[]): Promise<RefundRow[]> {
  if (providers.length === 0) return [];
  return db.transaction(async (tx) => {
    const reachable = tx.select({ id: payments.id }).from(payments).where(inArray(payments.provider, [...providers]));
    const due = await tx
      .select()
      .from(refunds)
      .where(and(eq(refunds.status, 'pending'), lte(refunds.nextAttemptAt, sql`now()`), inArray(refunds.paymentId, reachable)))
      .orderBy(refunds.nextAttemptAt)
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const ids = sql.join(
      due.map((r) => sql`${r.id}::uuid`),
      sql`, `,
    );
    await tx.execute(sql`update refunds set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds}), updated_at = now() where id in (${ids})`);
    return due;
  });
}

/**
 * Records what the provider answered a sent (or read back) refund, in its own
 * transaction: settled when it says so; still pending, read back again in
 * `pollSeconds` (or settled sooner by a webhook).
 */
export async function markRefundSent(db: Database, refund: RefundRow, answer: ProviderRefund, pollSeconds: number): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockRefund(tx, { id: refund.id });
    if (current?.status !== 'pending') return;
    await settleRefund(tx, current, answer);
    if (answer.status === 'pending') {
      await tx
        .update(refunds)
        .set({ nextAttemptAt: sql`now() + make_interval(secs => ${pollSeconds})` })
        .where(eq(refunds.id, current.id));
    }
  });
}

/** Asking the provider failed (network, 5xx): the error kept, the next attempt after `backoffSeconds`. Never given up. */
export async function markRefundRetry(db: Queryable, refund: RefundRow, error: string, backoffSeconds: number): Promise<void> {
  await db
    .update(refunds)
    .set({ lastError: error.slice(0, 500), nextAttemptAt: sql`now() + make_interval(secs => ${backoffSeconds})` })
    .where(and(eq(refunds.id, refund.id), eq(refunds.status, 'pending')));
}

// ---- the payment inbox's refund events ---------------------------------------------------------

export type RefundEventOutcome = 'refund_updated' | 'refund_unknown';

/** `refund.updated` and friends: a pending refund becomes succeeded or failed. */
export async function applyRefundEvent(tx: Tx, refund: ProviderRefundEvent): Promise<{ outcome: RefundEventOutcome; orderId: string | null }> {
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
export async function applyChargeEvent(
  tx: Tx,
  charge: { paymentId: string | null; refunds: ProviderRefundEvent[] | null },
): Promise<{ outcome: RefundEventOutcome; orderId: string | null }> {
  const payment = charge.paymentId ? await paymentByProviderId(tx, charge.paymentId) : null;
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
