// The owner of orders and of their payments and refunds: finds an order (by
// its manage token, or locked under its event's lock), knows its token, and
// shapes it for the guest and the organiser. Lock order, on every path: the
// event (lib/events/event-row.ts) before the order, the order before its
// payment (the refunds trigger locks that) and its tickets.
import { createHmac, hkdfSync } from 'node:crypto';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import {
  orderItems,
  orders,
  payments,
  refunds,
  registrations,
  ticketTypes,
  type OrderRow,
  type PaymentRow,
  type RefundRow,
} from '@/lib/db/schema';
import { loadedServerKeys, type ServerKeys } from '@/lib/checkin/signing-key';
import { safeInteger } from '@/lib/db/numbers';
import { isUuid } from '@/lib/ids';
import { hashToken, TOKEN_PATTERN } from '@/lib/tokens';
import type { OrderDto, OrderItemDto, OrganiserOrderDto, PaymentDto, RefundDto, TicketDto } from './schemas';


const linkKeys = new WeakMap<Buffer, Buffer>();

/**
 * An order's manage token (`/o/<token>`): HMAC-SHA256 of the order's id under
 * a key HKDF-derived from the order-link secret (ORDER_LINK_SECRET, else the
 * stored `order-links` row; never the door's signing key, so rotating
 * CHECKIN_SIGNING_KEY leaves every link working, and the other way round),
 * base64url. Derived rather than random so that a mail written later (the
 * receipt, when the payment arrives) can carry the link; the database still
 * keeps only its SHA-256, so changing the secret changes the links of orders
 * placed after only. Synchronous: it runs inside the order's transaction and
 * reads the keys loaded before it (lib/checkin/signing-key.ts, THE RULE).
 */
export function orderTokenOf(orderId: string, keys: ServerKeys = loadedServerKeys()): string {
  let linkKey = linkKeys.get(keys.orderLinks);
  if (!linkKey) {
    linkKey = Buffer.from(hkdfSync('sha256', keys.orderLinks, Buffer.alloc(0), 'event-app order-manage links v1', 32));
    linkKeys.set(keys.orderLinks, linkKey);
  }
  return createHmac('sha256', linkKey).update(`order-manage:v1:${orderId}`).digest('base64url');
}

/**
 * The token an existing order was given, for a mail written later (the
 * receipt): the current derivation, or for an order placed before order links
 * had a secret of their own, the old one (HMAC under the door key's PKCS#8
 * bytes), whichever matches its stored hash.
 */
export function issuedOrderTokenOf(order: Pick<OrderRow, 'id' | 'tokenHash'>, keys: ServerKeys = loadedServerKeys()): string {
  const current = orderTokenOf(order.id, keys);
  if (hashToken(current) === order.tokenHash) return current;
  const legacy = createHmac('sha256', keys.signing.privateKey.export({ format: 'der', type: 'pkcs8' }))
    .update(`order-manage:v1:${order.id}`)
    .digest('base64url');
  return hashToken(legacy) === order.tokenHash ? legacy : current;
}

/**
 * Whether the order may still be paid: pending, its hold not run out. (A
 * payment never leaves an order pending: it confirms it, or moves it to
 * expired or cancelled with its refund.)
 */
export function isPayable(order: Pick<OrderRow, 'status' | 'holdExpiresAt'>): boolean {
  return order.status === 'pending_payment' && order.holdExpiresAt.getTime() > Date.now();
}

export function orderManageUrl(token: string): string {
  return `/o/${token}`;
}

/** Where a guest pays: the order's own page, which opens (or reuses) its one payment session. */
export function orderPaymentPath(token: string): string {
  return `/o/${token}/pay`;
}

export async function readOrderByToken(db: Queryable, token: string): Promise<OrderRow | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
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

export async function paymentOf(db: Queryable, orderId: string): Promise<PaymentRow | null> {
  const rows = await db.select().from(payments).where(eq(payments.orderId, orderId)).limit(1);
  return rows[0] ?? null;
}

export async function refundsOf(db: Queryable, orderIds: string[]): Promise<RefundRow[]> {
  if (orderIds.length === 0) return [];
  return db.select().from(refunds).where(inArray(refunds.orderId, orderIds)).orderBy(asc(refunds.createdAt));
}

/** What an order's refunds take back: every refund but a failed one (pending money is on its way). */
export function refundedAmount(rows: RefundRow[]): number {
  return rows.filter((r) => r.status !== 'failed').reduce((n, r) => n + r.amount, 0);
}

/** The sum of an order's refunds in one status. */
export function refundsIn(rows: RefundRow[], status: RefundRow['status']): number {
  return rows.filter((r) => r.status === status).reduce((n, r) => n + r.amount, 0);
}

export type ItemWithName = { ticketTypeId: string; name: string; quantity: number; unitAmount: number };

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
    })
    .from(orderItems)
    .innerJoin(ticketTypes, eq(ticketTypes.id, orderItems.ticketTypeId))
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(asc(ticketTypes.createdAt));
  for (const { orderId, ...item } of rows) byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), item]);
  return byOrder;
}

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

// ---- the rows as the API answers them --------------------------------------

function itemDto(item: ItemWithName, currency: string): OrderItemDto {
  return {
    ticketTypeId: item.ticketTypeId,
    name: item.name,
    quantity: item.quantity,
    unitPrice: { amount: item.unitAmount, currency },
    amount: { amount: item.unitAmount * item.quantity, currency },
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
    createdAt: row.createdAt.toISOString(),
  };
}

export function toPaymentDto(row: PaymentRow): PaymentDto {
  return { id: row.id, amount: { amount: row.amount, currency: row.currency }, provider: row.provider, createdAt: row.createdAt.toISOString() };
}

export function toRefundDto(row: RefundRow): RefundDto {
  return { id: row.id, amount: row.amount, status: row.status, reason: row.reason, ticketId: row.registrationId, createdAt: row.createdAt.toISOString() };
}

/** Orders with their items, tickets, payments and refunds, shaped for the organiser (a few queries for the page, not one per order). */
export async function toOrganiserOrders(db: Queryable, rows: OrderRow[]): Promise<OrganiserOrderDto[]> {
  const ids = rows.map((row) => row.id);
  const [items, tickets, paid, returned] = await Promise.all([
    itemsOf(db, ids),
    ticketsOf(db, ids),
    ids.length ? db.select().from(payments).where(inArray(payments.orderId, ids)) : Promise.resolve([]),
    refundsOf(db, ids),
  ]);
  return rows.map((row) => {
    const own = returned.filter((r) => r.orderId === row.id);
    return {
      ...toOrderDto(row, items.get(row.id) ?? [], own),
      email: row.email,
      name: row.name,
      tickets: tickets.get(row.id) ?? [],
      payments: paid.filter((p) => p.orderId === row.id).map(toPaymentDto),
      refunds: own.map(toRefundDto),
    };
  });
}

/** The organiser's totals for an event, from payment and refund rows alone. */
export async function totalsOf(db: Queryable, eventId: string): Promise<{ paid: number; refunded: number; net: number; currency: string | null }> {
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
  const paidAmount = paid?.amount ?? 0;
  const refundedAmountTotal = returned?.amount ?? 0;
  return { paid: paidAmount, refunded: refundedAmountTotal, net: paidAmount - refundedAmountTotal, currency: paid?.currency ?? null };
}
