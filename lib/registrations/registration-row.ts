// The owner of the registrations row: the one place that finds one (by its
// manage token, or locked by id under its event's lock), knows its manage
// token, and turns it into what the API answers. A writer locks the event
// first (lib/events/event-row.ts), then the registration here: always in that
// order (docs/ssot, "Data Access Standard").
import { and, asc, count, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { registrations, ticketTypes, type RegistrationRow } from '@/lib/db/schema';
import { hashToken, TOKEN_PATTERN } from '@/lib/tokens';
import type { AnswerDto } from '@/lib/questions/schemas';
import type { AttendeeTicketDto, OrganiserRegistrationDto, RegistrationDto } from './schemas';

export function manageUrlOf(token: string): string {
  return `/r/${token}`;
}

/** The registration behind a manage link; null for a token that is not one, without asking the database. */
export async function readRegistrationByToken(db: Queryable, token: string): Promise<RegistrationRow | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const rows = await db.select().from(registrations).where(eq(registrations.tokenHash, hashToken(token))).limit(1);
  return rows[0] ?? null;
}

/** The event's registration, row-locked until the transaction ends; the caller holds the event's lock already. */
export async function lockRegistration(tx: Tx, by: ({ id: string } | { reference: string }) & { eventId: string }): Promise<RegistrationRow | null> {
  const rows = await tx
    .select()
    .from(registrations)
    .where(and('id' in by ? eq(registrations.id, by.id) : eq(registrations.reference, by.reference), eq(registrations.eventId, by.eventId)))
    .for('update')
    .limit(1);
  return rows[0] ?? null;
}

/** The 1-based place of a waitlisted registration (the waitlist is ordered by `seq`), else null. */
export async function waitlistPositionOf(db: Queryable, row: RegistrationRow): Promise<number | null> {
  if (row.status !== 'waitlisted') return null;
  const [ahead] = await db
    .select({ n: count() })
    .from(registrations)
    .where(and(eq(registrations.eventId, row.eventId), eq(registrations.status, 'waitlisted'), lte(registrations.seq, row.seq)));
  return ahead?.n ?? null;
}

// ---- the row as the API answers it -----------------------------------------

const isoOrNull = (at: Date | null): string | null => at?.toISOString() ?? null;

/** A registration as its registrant sees it. */
export function toRegistrationDto(row: RegistrationRow, position: number | null): RegistrationDto {
  return {
    id: row.id,
    status: row.status,
    position,
    name: row.name,
    email: row.email,
    createdAt: row.createdAt.toISOString(),
    reference: row.reference,
  };
}

/** The answer to a check-in: the registration and when it was (first) checked in. */
export function toCheckedInDto(row: RegistrationRow): RegistrationDto & { checkedInAt: string | null } {
  return { ...toRegistrationDto(row, null), checkedInAt: isoOrNull(row.checkedInAt) };
}

/** A row of the organiser's list: check-in and cancellation times too. */
export function toOrganiserRegistrationDto(
  row: RegistrationRow,
  position: number | null,
  ticket: AttendeeTicketDto | null = null,
  answers: AnswerDto[] = [],
): OrganiserRegistrationDto {
  return { ...toRegistrationDto(row, position), checkedInAt: isoOrNull(row.checkedInAt), cancelledAt: isoOrNull(row.cancelledAt), ticket, answers };
}

// ---- door check-in (lib/checkin reads tickets through these) ---------------

/** What the door needs of a registration: a ticket. */
/** A registration as the door sees it; `ticketType` names a paid ticket's type (null for a free registration). */
export type TicketRow = Pick<RegistrationRow, 'id' | 'eventId' | 'name' | 'status' | 'checkedInAt' | 'reference'> & { ticketType: string | null };

const ticketColumns = {
  id: registrations.id,
  eventId: registrations.eventId,
  name: registrations.name,
  status: registrations.status,
  checkedInAt: registrations.checkedInAt,
  reference: registrations.reference,
  // A subquery, not a join: FOR UPDATE then locks the registrations only.
  ticketType: sql<string | null>`(select ${ticketTypes.name} from ${ticketTypes} where ${ticketTypes.id} = ${registrations.ticketTypeId})`,
};

/**
 * The event's registrations among `ids` (others, and other events', are left
 * out), row-locked until the transaction ends, in id order: two callers
 * locking overlapping sets queue instead of deadlocking. Door scans lock
 * their tickets this way without the event's lock (docs/ssot, "Door Check-in
 * Standard"): they never wait on an event while holding a registration.
 */
export async function lockTickets(tx: Tx, eventId: string, ids: string[]): Promise<TicketRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select(ticketColumns)
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), inArray(registrations.id, ids)))
    .orderBy(asc(registrations.id))
    .for('update');
}

/** The ids of the event's registrations with these references (normalised, lib/registrations/reference.ts), by reference. */
export async function idsByReference(db: Queryable, eventId: string, references: string[]): Promise<Map<string, string>> {
  if (references.length === 0) return new Map();
  const rows = await db
    .select({ id: registrations.id, reference: registrations.reference })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), inArray(registrations.reference, references)));
  return new Map(rows.map((row) => [row.reference, row.id]));
}

/** Every ticket of the event a door may be shown (confirmed or cancelled; a waitlisted one holds no ticket), oldest first. */
export async function listTickets(db: Queryable, eventId: string): Promise<TicketRow[]> {
  return db
    .select(ticketColumns)
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), inArray(registrations.status, ['confirmed', 'cancelled'])))
    .orderBy(asc(registrations.seq));
}
