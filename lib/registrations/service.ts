// Registrations for published events (docs/api.md, "Public event pages and
// registrations"). Every write locks the event's row first (SELECT … FOR
// UPDATE), then reads and writes its registrations: writers of one event
// queue there, so the free-seat count, the waitlist's order and the
// one-live-registration-per-email check are exact. The database backs each
// rule by itself (the CHECK on events.confirmed_count, the partial unique
// index on (event_id, lower(email))), whoever writes.
import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, lte, ne, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { events, registrations, type EventRow, type RegistrationRow } from '@/lib/db/schema';
import { isUniqueViolation } from '@/lib/db/errors';
import { AppError } from '@/lib/errors';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { toEventDto } from '@/lib/events/queries';
import { isSlug } from '@/lib/events/slug';
import type { PublicEventDto, RegisterData, RegistrationCreated, RegistrationDto } from './schemas';
import { toRegistrationDto } from './queries';
import { enqueueForRegistration } from '@/lib/outbox/enqueue';
import { promoteWaitlisted } from './waitlist';

/** Registrations per client address, per event, per hour (docs/api.md, Abuse limits). */
export const REGISTRATIONS_PER_ADDRESS = 20;
export const REGISTRATION_WINDOW_SECONDS = 60 * 60;
const REGISTRATIONS_PER_ADDRESS_AND_EVENT: RateLimit = {
  name: 'register_ip',
  points: REGISTRATIONS_PER_ADDRESS,
  windowSeconds: REGISTRATION_WINDOW_SECONDS,
};

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: the manage link's secret. Only its SHA-256 is stored. */
function newManageToken(): string {
  return randomBytes(32).toString('base64url');
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function manageUrlOf(token: string): string {
  return `/r/${token}`;
}

export function toPublicEventDto(row: EventRow): PublicEventDto {
  const { ownerId: _owner, ...event } = toEventDto(row);
  return event;
}

/** Registration is open: published, not started. (Cancelled events keep their public page.) */
function assertOpen(event: EventRow): void {
  if (event.status !== 'published' || event.startsAt.getTime() <= Date.now()) throw new AppError('REGISTRATION_CLOSED');
}

/** The event by slug if it has a public page (published or cancelled; drafts never). */
export async function findPublicEvent(db: Queryable, slug: string): Promise<EventRow | null> {
  if (!isSlug(slug)) return null;
  const rows = await db
    .select()
    .from(events)
    .where(and(eq(events.slug, slug), ne(events.status, 'draft')))
    .limit(1);
  return rows[0] ?? null;
}

async function lockPublicEvent(tx: Tx, where: { slug: string } | { id: string }): Promise<EventRow | null> {
  if ('slug' in where && !isSlug(where.slug)) return null;
  const rows = await tx
    .select()
    .from(events)
    .where(and('slug' in where ? eq(events.slug, where.slug) : eq(events.id, where.id), ne(events.status, 'draft')))
    .for('update')
    .limit(1);
  return rows[0] ?? null;
}

/** The 1-based place of a waitlisted registration (the waitlist is ordered by `seq`), else null. */
async function positionOf(db: Queryable, row: RegistrationRow): Promise<number | null> {
  if (row.status !== 'waitlisted') return null;
  const [ahead] = await db
    .select({ n: count() })
    .from(registrations)
    .where(and(eq(registrations.eventId, row.eventId), eq(registrations.status, 'waitlisted'), lte(registrations.seq, row.seq)));
  return ahead?.n ?? null;
}

export type Registrant = RegisterData & { locale: 'en' | 'ru'; address: string };

export async function register(tx: Tx, slug: string, input: Registrant): Promise<RegistrationCreated> {
  // Under the event's lock only what must be ordered: the lock, the insert
  // (its trigger moves the counter) and the commit. The address's point is
  // taken before (keyed by the slug, which never changes), and a second live
  // registration of the email is refused by the unique index, not by a read:
  // each round trip under the lock is paid by every registration queued
  // behind it (docs/benchmarks.md, "Public registrations").
  if (!isSlug(slug)) throw new AppError('NOT_FOUND');
  // In the registration's transaction: a request that fails afterwards rolls its point back.
  await consumePoint(tx, REGISTRATIONS_PER_ADDRESS_AND_EVENT, `${slug} ${input.address}`);
  const event = await lockPublicEvent(tx, { slug });
  if (!event) throw new AppError('NOT_FOUND');
  assertOpen(event);

  let status: 'confirmed' | 'waitlisted';
  if (event.confirmedCount < event.maxParticipants) status = 'confirmed';
  else if (event.waitlist) status = 'waitlisted';
  else throw new AppError('EVENT_FULL');

  const token = newManageToken();
  let row: RegistrationRow | undefined;
  try {
    [row] = await tx
      .insert(registrations)
      .values({ eventId: event.id, name: input.name, email: input.email, status, tokenHash: tokenHash(token), locale: input.locale })
      .returning();
  } catch (error) {
    if (isUniqueViolation(error, 'registrations_event_email_live_key')) throw new AppError('ALREADY_REGISTERED');
    throw error;
  }
  if (!row) throw new Error('insert into registrations returned no row');
  // Under the event's lock the waitlist is exactly the event's counter: this one is its last.
  const position = status === 'waitlisted' ? event.waitlistedCount + 1 : null;
  const manageUrl = manageUrlOf(token);
  // The mail commits with the registration (docs/ssot, "Outbox standard").
  await enqueueForRegistration(tx, status === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted', row, event, {
    manageUrl,
    ...(position !== null && { position }),
  });
  return { registration: toRegistrationDto(row, position), manageUrl };
}

async function findByToken(db: Queryable, token: string): Promise<RegistrationRow | null> {
  if (!TOKEN.test(token)) return null;
  const rows = await db.select().from(registrations).where(eq(registrations.tokenHash, tokenHash(token))).limit(1);
  return rows[0] ?? null;
}

export type ManagedRegistration = { registration: RegistrationDto; event: PublicEventDto };

/** The registration behind a manage link, with its event; null for an unknown token. */
export async function registrationByToken(db: Queryable, token: string): Promise<ManagedRegistration | null> {
  const row = await findByToken(db, token);
  if (!row) return null;
  const [event] = await db.select().from(events).where(eq(events.id, row.eventId)).limit(1);
  if (!event) return null;
  return { registration: toRegistrationDto(row, await positionOf(db, row)), event: toPublicEventDto(event) };
}

/**
 * Cancels by manage token. Already cancelled: answered unchanged. A confirmed
 * registration's seat goes to the first waitlisted one, in this transaction.
 */
export async function cancelByToken(tx: Tx, token: string): Promise<{ registration: RegistrationDto }> {
  const found = await findByToken(tx, token);
  if (!found) throw new AppError('NOT_FOUND');
  return cancelRegistration(tx, { eventId: found.eventId, registrationId: found.id, by: 'registrant' });
}

export type Cancellation = {
  eventId: string;
  registrationId: string;
  /** The registrant may cancel only while registration is open; the organiser at any time. */
  by: 'registrant' | { ownerId: string };
};

export async function cancelRegistration(tx: Tx, { eventId, registrationId, by }: Cancellation): Promise<{ registration: RegistrationDto }> {
  // The event first, as every writer does, then the registration as it is under that lock.
  const event = await lockPublicEvent(tx, { id: eventId });
  const [current] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for('update').limit(1);
  if (!event || !current || current.eventId !== eventId) throw new AppError('NOT_FOUND');
  if (by !== 'registrant' && event.ownerId !== by.ownerId) throw new AppError('NOT_FOUND');
  if (current.status === 'cancelled') return { registration: toRegistrationDto(current, null) };
  if (by === 'registrant') assertOpen(event);

  const [cancelled] = await tx
    .update(registrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(eq(registrations.id, current.id))
    .returning();
  if (!cancelled) throw new Error('update of registrations returned no row');
  await enqueueForRegistration(tx, 'registration_cancelled', cancelled, event);
  const confirmedAfter = event.confirmedCount - (current.status === 'confirmed' ? 1 : 0);
  await promoteWaitlisted(tx, event.id, event.maxParticipants - confirmedAfter);
  return { registration: toRegistrationDto(cancelled, null) };
}

/** The organiser checks a confirmed registration in; a repeat keeps the first time. */
export async function checkIn(tx: Tx, { eventId, registrationId, ownerId }: { eventId: string; registrationId: string; ownerId: string }) {
  const [event] = await tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.ownerId, ownerId)))
    .for('update')
    .limit(1);
  if (!event) throw new AppError('NOT_FOUND');
  const [current] = await tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.id, registrationId), eq(registrations.eventId, eventId)))
    .for('update')
    .limit(1);
  if (!current) throw new AppError('NOT_FOUND');
  if (current.status !== 'confirmed') throw new AppError('NOT_CONFIRMED');
  const [row] = await tx
    .update(registrations)
    .set({ checkedInAt: sql`coalesce(${registrations.checkedInAt}, now())` })
    .where(eq(registrations.id, current.id))
    .returning();
  if (!row) throw new Error('update of registrations returned no row');
  return { registration: { ...toRegistrationDto(row, null), checkedInAt: row.checkedInAt?.toISOString() ?? null } };
}
