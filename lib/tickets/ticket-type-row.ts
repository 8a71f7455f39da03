// The owner of ticket_types: finds an event's types, counts what is held by
// live orders, and shapes a type for the organiser and for the public page.
// Availability is computed under the event's lock by the writers
// (service.ts); the database keeps sold_count and refuses a sold ticket too many.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { orderItems, orders, ticketTypes, type EventRow, type TicketTypeRow } from '@/lib/db/schema';
import { liveHoldsOf } from '@/lib/events/event-row';
import type { PublicTicketTypeDto, TicketTypeDto } from './schemas';

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

/** Free seats of the event: its capacity less confirmed registrations and tickets, less live holds. */
export function eventAvailable(event: EventRow, holds: Holds): number {
  return Math.max(0, event.maxParticipants - event.confirmedCount - holds.total);
}

export function typeAvailable(event: EventRow, type: TicketTypeRow, holds: Holds): number {
  const held = holds.byType.get(type.id) ?? 0;
  const ofType = type.quantity === null ? Number.POSITIVE_INFINITY : type.quantity - type.soldCount - held;
  return Math.max(0, Math.min(ofType, eventAvailable(event, holds)));
}

export function onSale(type: TicketTypeRow, now = Date.now()): boolean {
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
  };
}

export function toPublicTicketTypeDto(event: EventRow, type: TicketTypeRow, holds: Holds): PublicTicketTypeDto {
  return {
    id: type.id,
    name: type.name,
    price: { amount: type.priceAmount, currency: type.currency },
    available: typeAvailable(event, type, holds),
    onSale: onSale(type) && event.status === 'published' && event.startsAt.getTime() > Date.now(),
  };
}
