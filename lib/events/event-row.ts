// The owner of the events row: the one place that finds it (read or locked)
// and turns it into what leaves the server (the organiser's EventDto, the
// public page's PublicEventDto, the mail's snapshot), from one mapping of
// its columns. Writers of an event or of its registrations lock it here
// first: the event before its registrations (docs/ssot, "Data Access Standard").
import { now } from '@/lib/clock';
import { and, eq, gt, ne, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { events, orderItems, orders, teamMembers, type EventRow, type NewEventRow } from '@/lib/db/schema';
import { mediaStorage } from '@/lib/media/storage';
import type { EventSnapshot } from '@/lib/outbox/payload';
import type { EventDto, EventLocation, PublicEventDto, Seats } from './schemas';
import { isSlug } from './slug';

/**
 * Which event, as whom. Callers check the id is a UUID (`isUuid`, lib/ids.ts); a slug
 * that is not one is answered null here without asking the database.
 */
export type EventKey =
  /** The team's own event. */
  | { id: string; teamId: string }
  /** An event of a team the user is a member of (the organiser's pages). */
  | { id: string; memberId: string }
  /** An event with a public page (published or cancelled; drafts never), by its slug… */
  | { slug: string }
  /** …or by its id (the events registrations belong to). */
  | { id: string; publicPage: true }
  /** The row itself, whatever its state (a caller that already holds it, or a registration's event). */
  | { id: string };

function whereOf(by: EventKey): SQL | undefined {
  if ('slug' in by) return and(eq(events.slug, by.slug), ne(events.status, 'draft'));
  if ('teamId' in by) return and(eq(events.id, by.id), eq(events.teamId, by.teamId));
  if ('memberId' in by) {
    return and(eq(events.id, by.id), sql`exists (select 1 from ${teamMembers} m where m.team_id = ${events.teamId} and m.user_id = ${by.memberId})`);
  }
  if ('publicPage' in by) return and(eq(events.id, by.id), ne(events.status, 'draft'));
  return eq(events.id, by.id);
}

async function selectEvent(db: Queryable, by: EventKey, lock: boolean): Promise<EventRow | null> {
  if ('slug' in by && !isSlug(by.slug)) return null;
  const query = db.select().from(events).where(whereOf(by)).limit(1);
  const rows = await (lock ? query.for('update') : query);
  return rows[0] ?? null;
}

export function readEvent(db: Queryable, by: EventKey): Promise<EventRow | null> {
  return selectEvent(db, by, false);
}

/** The event, row-locked until the transaction ends: every writer of an event or its registrations queues here. */
export function lockEvent(tx: Tx, by: EventKey): Promise<EventRow | null> {
  return selectEvent(tx, by, true);
}

// ---- the columns as the API's fields, and back -----------------------------

function locationOf(row: EventRow): EventLocation {
  return row.locationType === 'online'
    ? { type: 'online', url: row.locationUrl ?? '' }
    : { type: 'in_person', address: row.locationAddress ?? '' };
}

/**
 * The one rule for which orders hold seats of an event right now: pending,
 * with their hold's end still ahead by the app's one clock (`clock()`, sent
 * as a parameter, so a test that moves time moves this too; an expired hold
 * counts for nothing, swept or not). `exceptOrderId` leaves one order out (a
 * late payment's own hold).
 */
export function liveHoldsOf(eventId: string, exceptOrderId?: string): SQL | undefined {
  return and(
    eq(orders.eventId, eventId),
    eq(orders.status, 'pending_payment'),
    gt(orders.holdExpiresAt, now()),
    exceptOrderId ? ne(orders.id, exceptOrderId) : undefined,
  );
}

/**
 * Seats the event's pending orders hold right now: with the confirmed count,
 * what its capacity may not drop under (lib/tickets/ticket-types.ts's
 * holdsOf counts the same per type). Read under the event's lock, it cannot
 * grow before the caller commits (every order takes that lock first).
 */
export async function seatsHeld(db: Queryable, eventId: string): Promise<number> {
  const [row] = await db
    .select({ held: sql<number>`coalesce(sum(${orderItems.quantity}), 0)::int` })
    .from(orderItems)
    .innerJoin(orders, eq(orders.id, orderItems.orderId))
    .where(liveHoldsOf(eventId));
  return row?.held ?? 0;
}

export function locationColumns(location: EventLocation): Pick<NewEventRow, 'locationType' | 'locationAddress' | 'locationUrl'> {
  return location.type === 'online'
    ? { locationType: 'online', locationAddress: null, locationUrl: location.url }
    : { locationType: 'in_person', locationAddress: location.address, locationUrl: null };
}

/**
 * THE count of what is left of an event: its capacity less confirmed
 * registrations and tickets, less the seats live holds keep (`seatsHeld`,
 * `holdsOf`). The public page's wording, the API's `seats.available` and
 * every ticket type's `available` (lib/tickets/ticket-types.ts) come from it.
 */
export function seatsLeft(row: EventRow, held: number): number {
  return Math.max(0, row.maxParticipants - row.confirmedCount - held);
}

/** `held`: what live holds keep right now (`seatsHeld`); 0 where the caller did not read them (an event without orders holds none). */
function seatsOf(row: EventRow, held: number): Seats {
  return {
    capacity: row.maxParticipants,
    confirmed: row.confirmedCount,
    waitlisted: row.waitlistedCount,
    available: seatsLeft(row, held),
  };
}

export function toEventDto(row: EventRow, held = 0): EventDto {
  return {
    id: row.id,
    slug: row.slug,
    teamId: row.teamId,
    // Kept from before teams (docs/api.md): the event's team, whose id was its organiser's.
    ownerId: row.teamId,
    title: row.title,
    description: row.description,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    timezone: row.timezone,
    location: locationOf(row),
    maxParticipants: row.maxParticipants,
    visibility: row.visibility,
    status: row.status,
    waitlist: row.waitlist,
    seats: seatsOf(row, held),
    coverUrl: row.coverName ? mediaStorage().url(row.coverName) : null,
    coverSize: row.coverName && row.coverWidth && row.coverHeight ? { width: row.coverWidth, height: row.coverHeight } : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** `held`: as for `toEventDto`; the public page and `GET /api/public/events/:slug` read it (`seatsHeld`). */
export function toPublicEventDto(row: EventRow, held = 0): PublicEventDto {
  const { teamId: _team, ownerId: _owner, ...event } = toEventDto(row, held);
  return event;
}

/** The event as a mail shows it, frozen into the outbox row (lib/outbox/payload.ts). */
export function toEventSnapshot(row: EventRow): EventSnapshot {
  const { id, slug, title, description, startsAt, endsAt, timezone, location, status, version, updatedAt } = toEventDto(row);
  return { id, slug, title, description, startsAt, endsAt, timezone, location, status, version, updatedAt };
}
