// The owner of ticket_types: finds an event's types, locks, creates and
// changes them, counts what live orders hold of each, and shapes a type for
// the organiser and for the public page. Availability is computed here and
// decided under the event's lock by its callers (an order, a late payment);
// the database keeps sold_count and refuses a sold ticket too many.
import { recordAudit, type AuditActor } from '@/lib/audit';
import { and, asc, eq, sql } from 'drizzle-orm';
import { clock } from '@/lib/clock';
import type { Queryable, Tx } from '@/lib/db/pool';
import { orderItems, orders, ticketTypes, type DiscountCodeRow, type EventRow, type TicketTypeRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { liveHoldsOf, lockEvent, readEvent, seatsLeft } from '@/lib/events/event-row';
import { isUuid } from '@/lib/ids';
import { paymentsReady, teamOfEvent } from '@/lib/payouts/accounts';
import { typeVisible, unitDiscountOf } from './code-rules';
import type { CreateTicketTypeData, PublicTicketTypeDto, TicketTypeDto, UpdateTicketTypeData } from './schemas';

export function listTicketTypeRows(db: Queryable, eventId: string): Promise<TicketTypeRow[]> {
  return db.select().from(ticketTypes).where(eq(ticketTypes.eventId, eventId)).orderBy(asc(ticketTypes.createdAt), asc(ticketTypes.id));
}

/** The type, row-locked; the caller holds its event's lock already. */
export async function lockTicketType(tx: Tx, by: { id: string; eventId: string }): Promise<TicketTypeRow | null> {
  const rows = await tx
    .select()
    .from(ticketTypes)
    .where(and(eq(ticketTypes.id, by.id), eq(ticketTypes.eventId, by.eventId)))
    .for('update')
    .limit(1);
  return rows[0] ?? null;
}

/** Seats held right now by the event's pending orders, per type; an expired hold counts for nothing. */
export type Holds = { total: number; byType: Map<string, number> };

/** Seats held by the event's live pending orders, per type (not yet run: both readers below build on it). */
function liveHolds(db: Queryable, eventId: string, exceptOrderId?: string) {
  return db
    .select({ ticketTypeId: orderItems.ticketTypeId, held: sql<number>`sum(${orderItems.quantity})::int`.as('held') })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(liveHoldsOf(eventId, exceptOrderId))
    .groupBy(orderItems.ticketTypeId);
}

export async function holdsOf(db: Queryable, eventId: string, exceptOrderId?: string): Promise<Holds> {
  const rows = await liveHolds(db, eventId, exceptOrderId);
  const byType = new Map(rows.map((row) => [row.ticketTypeId, row.held]));
  return { total: rows.reduce((n, row) => n + row.held, 0), byType };
}

/**
 * The event's types and the seats live holds keep from each, in one round
 * trip: what an order reads under the event's lock (each round trip there is
 * paid by every order queued behind). The same counts as `holdsOf`.
 */
export async function ticketTypesAndHolds(db: Queryable, eventId: string, exceptOrderId?: string): Promise<{ types: TicketTypeRow[]; holds: Holds }> {
  const held = db.$with('held').as(liveHolds(db, eventId, exceptOrderId));
  const rows = await db
    .with(held)
    .select({ type: ticketTypes, held: sql<number>`coalesce(${held.held}, 0)::int` })
    .from(ticketTypes)
    .leftJoin(held, eq(held.ticketTypeId, ticketTypes.id))
    .where(eq(ticketTypes.eventId, eventId))
    .orderBy(asc(ticketTypes.createdAt), asc(ticketTypes.id));
  const byType = new Map(rows.filter((row) => row.held > 0).map((row) => [row.type.id, row.held]));
  return { types: rows.map((row) => row.type), holds: { total: rows.reduce((n, row) => n + row.held, 0), byType } };
}

/** Free seats of the event: its capacity less confirmed registrations and tickets, less live holds (`seatsLeft`). */
export function eventAvailable(event: EventRow, holds: Holds): number {
  return seatsLeft(event, holds.total);
}

export function typeAvailable(event: EventRow, type: TicketTypeRow, holds: Holds): number {
  const held = holds.byType.get(type.id) ?? 0;
  const ofType = type.quantity === null ? Number.POSITIVE_INFINITY : type.quantity - type.soldCount - held;
  return Math.max(0, Math.min(ofType, eventAvailable(event, holds)));
}

export function onSale(type: TicketTypeRow, now = clock().now()): boolean {
  return type.salesEndAt === null || type.salesEndAt.getTime() > now;
}

export function toTicketTypeDto(event: EventRow, type: TicketTypeRow, holds: Holds): TicketTypeDto {
  return {
    id: type.id,
    name: type.name,
    price: { amount: type.priceAmount, currency: type.currency },
    quantity: type.quantity,
    sold: type.soldCount,
    held: holds.byType.get(type.id) ?? 0,
    available: typeAvailable(event, type, holds),
    salesEndAt: type.salesEndAt?.toISOString() ?? null,
    hidden: type.hidden,
  };
}

/** `canPay`: whether the event's team can take payments (lib/payouts: with Connect, once its account can charge); free types sell regardless. */
export function toPublicTicketTypeDto(event: EventRow, type: TicketTypeRow, holds: Holds, code: DiscountCodeRow | null = null, canPay = true): PublicTicketTypeDto {
  const discount = code ? unitDiscountOf(code, type) : 0;
  return {
    id: type.id,
    name: type.name,
    price: { amount: type.priceAmount, currency: type.currency },
    discountedPrice: discount > 0 ? { amount: type.priceAmount - discount, currency: type.currency } : null,
    available: typeAvailable(event, type, holds),
    onSale: onSale(type) && event.status === 'published' && event.startsAt.getTime() > clock().now() && (canPay || type.priceAmount - discount <= 0),
  };
}

// ---- the organiser's types and the public page's -----------------------------

export async function listTicketTypes(db: Queryable, { eventId, teamId }: { eventId: string; teamId: string }): Promise<TicketTypeDto[] | null> {
  if (!isUuid(eventId)) return null;
  const event = await readEvent(db, { id: eventId, teamId });
  if (!event) return null;
  const types = await listTicketTypeRows(db, event.id);
  const holds = await holdsOf(db, event.id);
  return types.map((type) => toTicketTypeDto(event, type, holds));
}

/**
 * The public page's ticket types (any event with a public page); [] when it
 * sells none. A hidden type shows only with a code that unlocks it; with a
 * usable code, each type's `discountedPrice`.
 */
export async function publicTicketTypes(db: Queryable, event: EventRow, code: DiscountCodeRow | null = null): Promise<PublicTicketTypeDto[]> {
  const types = (await listTicketTypeRows(db, event.id)).filter((type) => typeVisible(type, code));
  if (types.length === 0) return [];
  const holds = await holdsOf(db, event.id);
  const ready = types.some((type) => type.priceAmount > 0) ? await paymentsReady(db, teamOfEvent(event)) : true;
  return types.map((type) => toPublicTicketTypeDto(event, type, holds, code, ready));
}

export async function createTicketType(tx: Tx, { eventId, teamId }: { eventId: string; teamId: string }, input: CreateTicketTypeData): Promise<TicketTypeDto> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
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
      hidden: input.hidden ?? false,
    })
    .returning();
  if (!row) throw new Error('insert into ticket_types returned no row');
  return toTicketTypeDto(event, row, await holdsOf(tx, event.id));
}

/** Whether anyone ordered from the event yet (an order always has an item of one of its types). */
async function ordered(tx: Tx, eventId: string): Promise<boolean> {
  const [row] = await tx.select({ id: orders.id }).from(orders).where(eq(orders.eventId, eventId)).limit(1);
  return row !== undefined;
}

/** A price change never touches existing orders: their items froze the price they were ordered at. */
export async function updateTicketType(
  tx: Tx,
  { eventId, teamId, ticketTypeId, actor }: { eventId: string; teamId: string; ticketTypeId: string; actor: AuditActor },
  patch: UpdateTicketTypeData,
): Promise<TicketTypeDto> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  const current = event && isUuid(ticketTypeId) ? await lockTicketType(tx, { id: ticketTypeId, eventId: event.id }) : null;
  if (!event || !current) throw new AppError('NOT_FOUND');
  const holds = await holdsOf(tx, event.id);
  const held = holds.byType.get(current.id) ?? 0;
  if (patch.quantity !== undefined && patch.quantity !== null && patch.quantity < current.soldCount + held) {
    throw new AppError('QUANTITY_BELOW_SOLD', { details: { sold: current.soldCount, held } });
  }
  if (patch.price && patch.price.currency !== current.currency) {
    // One currency per event, for good: once anyone ordered, totals would mix currencies.
    if (await ordered(tx, event.id)) throw new AppError('CURRENCY_LOCKED');
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
      ...(patch.hidden !== undefined && { hidden: patch.hidden }),
      updatedAt: sql`now()`,
    })
    .where(eq(ticketTypes.id, current.id))
    .returning();
  if (!row) throw new Error('update of ticket_types returned no row');
  if (row.priceAmount !== current.priceAmount || row.currency !== current.currency) {
    await recordAudit(tx, {
      teamId: event.teamId,
      actor,
      action: 'event.price_changed',
      target: { type: 'ticket_type', id: row.id },
      details: { eventId: event.id, name: row.name, from: { amount: current.priceAmount, currency: current.currency }, to: { amount: row.priceAmount, currency: row.currency } },
    });
  }
  return toTicketTypeDto(event, row, holds);
}
