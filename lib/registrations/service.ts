// Registrations for published events (docs/api.md, "Public event pages and
// registrations"). Every write locks the event's row first (SELECT … FOR
// UPDATE), then reads and writes its registrations: writers of one event
// queue there, so the free-seat count, the waitlist's order and the
// one-live-registration-per-email check are exact. The database backs each
// rule by itself (the CHECK on events.confirmed_count, the partial unique
// index on (event_id, lower(email))), whoever writes.
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { registrations, type EventRow, type RegistrationRow, ticketHolders } from '@/lib/db/schema';
import { isCheckViolation, isUniqueViolation } from '@/lib/db/errors';
import { AppError, type FieldErrors } from '@/lib/errors';
import { clock } from '@/lib/clock';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { lockEvent, readEvent, toEventSnapshot, toPublicEventDto } from '@/lib/events/event-row';
import type { PublicEventDto } from '@/lib/events/schemas';
import { isSlug } from '@/lib/events/slug';
import { hashToken, newToken } from '@/lib/tokens';
import type { OrganiserRegistrationDto, RegisterData, RegistrationCreated, RegistrationDto } from './schemas';
import {
  lockRegistration,
  manageUrlOf,
  readRegistrationByToken,
  toOrganiserRegistrationDto,
  toRegistrationDto,
  waitlistPositionOf,
} from './registration-row';
import { enqueueForRegistration } from '@/lib/outbox/enqueue';
import { emitWebhook } from '@/lib/webhooks/emit';
import { promoteWaitlisted } from './waitlist';
import {
  answersOfRegistrations,
  askedOfRegistration,
  checkRegistrationAnswers,
  editAnswers,
  eraseAnswersOf,
  toCheckedAnswerDtos,
  writeRegistrationAnswers,
} from '@/lib/questions/answers';
import type { AnswerDto, AnswersInput } from '@/lib/questions/schemas';
import { liveQuestionRows, liveQuestionsBySlug } from '@/lib/questions/questions';
import { isUuid } from '@/lib/ids';
import { insertRegistrations } from './insert';

/** Registrations per client address, per event, per hour (docs/api.md, Abuse limits). */
export const REGISTRATIONS_PER_ADDRESS = 20;
export const REGISTRATION_WINDOW_SECONDS = 60 * 60;
const REGISTRATIONS_PER_ADDRESS_AND_EVENT: RateLimit = {
  name: 'register_ip',
  points: REGISTRATIONS_PER_ADDRESS,
  windowSeconds: REGISTRATION_WINDOW_SECONDS,
};

/** Registration is open: published, not started. (Cancelled events keep their public page.) */
function assertOpen(event: EventRow): void {
  if (event.status !== 'published' || event.startsAt.getTime() <= clock().now()) throw new AppError('REGISTRATION_CLOSED');
}

/** A registration in a webhook: the organiser's view, with its event's id. */
function webhookRegistration(row: RegistrationRow, position: number | null, answers: AnswerDto[]) {
  return { ...toOrganiserRegistrationDto(row, position, null, answers), eventId: row.eventId };
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
  const event = await lockEvent(tx, { slug });
  if (!event) throw new AppError('NOT_FOUND');
  assertOpen(event);
  // The questions under the lock, which their writes take too (lib/questions/questions.ts, writeVersion): the
  // database's trigger never holds this registration to a question it did not see.
  const questions = await liveQuestionsBySlug(tx, slug);
  const answers = checkRegistrationAnswers(questions, input.answers);

  let status: 'confirmed' | 'waitlisted';
  if (event.confirmedCount < event.maxParticipants) status = 'confirmed';
  else if (event.waitlist) status = 'waitlisted';
  else throw new AppError('EVENT_FULL');

  const token = newToken();
  let row: RegistrationRow | undefined;
  try {
    [row] = await insertRegistrations(tx, [
      { eventId: event.id, name: input.name, email: input.email, status, tokenHash: hashToken(token), locale: input.locale },
    ]);
  } catch (error) {
    if (isUniqueViolation(error, 'registrations_event_email_live_key')) throw new AppError('ALREADY_REGISTERED');
    // The event sells tickets: its trigger refuses a seat without an order (no read under the lock for it).
    if (isCheckViolation(error, 'registrations_tickets_by_order')) throw new AppError('TICKETS_ON_SALE');
    throw error;
  }
  if (!row) throw new Error('insert into registrations returned no row');
  // Saved with the registration or not at all (the commit checks the required ones).
  await writeRegistrationAnswers(tx, event.id, row.id, answers);
  // Under the event's lock the waitlist is exactly the event's counter: this one is its last.
  const position = status === 'waitlisted' ? event.waitlistedCount + 1 : null;
  const manageUrl = manageUrlOf(token);
  // The mail commits with the registration (docs/ssot, "Outbox standard").
  await enqueueForRegistration(tx, status === 'confirmed' ? 'registration_confirmed' : 'registration_waitlisted', row, toEventSnapshot(event), {
    manageUrl,
    ...(position !== null && { position }),
  });
  await emitWebhook(tx, { teamId: event.teamId, type: 'registration.created', data: { registration: webhookRegistration(row, position, toCheckedAnswerDtos(answers)) } });
  return { registration: toRegistrationDto(row, position), manageUrl };
}

export type ManagedRegistration = { registration: RegistrationDto; event: PublicEventDto };

/** The registration behind a manage link, with its event; null for an unknown token. */
export async function registrationByToken(db: Queryable, token: string): Promise<ManagedRegistration | null> {
  const row = await readRegistrationByToken(db, token);
  if (!row) return null;
  const event = await readEvent(db, { id: row.eventId });
  if (!event) return null;
  return { registration: toRegistrationDto(row, await waitlistPositionOf(db, row)), event: toPublicEventDto(event) };
}

/**
 * Cancels by manage token. Already cancelled: answered unchanged. A confirmed
 * registration's seat goes to the first waitlisted one, in this transaction.
 */
export async function cancelByToken(tx: Tx, token: string): Promise<{ registration: RegistrationDto }> {
  const found = await readRegistrationByToken(tx, token);
  if (!found) throw new AppError('NOT_FOUND');
  return cancelRegistration(tx, { eventId: found.eventId, registrationId: found.id, by: 'registrant' });
}

export type Cancellation = {
  eventId: string;
  registrationId: string;
  /** The registrant may cancel only while registration is open; the organiser at any time. */
  by: 'registrant' | { teamId: string };
};

export async function cancelRegistration(tx: Tx, { eventId, registrationId, by }: Cancellation): Promise<{ registration: RegistrationDto }> {
  // The event first, as every writer does, then the registration as it is under that lock.
  const event = await lockEvent(tx, { id: eventId, publicPage: true });
  const current = await lockRegistration(tx, { id: registrationId, eventId });
  if (!event || !current) throw new AppError('NOT_FOUND');
  if (by !== 'registrant' && event.teamId !== by.teamId) throw new AppError('NOT_FOUND');
  if (current.status === 'cancelled') return { registration: toRegistrationDto(current, null) };
  if (by === 'registrant') assertOpen(event);

  const [cancelled] = await tx
    .update(registrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(eq(registrations.id, current.id))
    .returning();
  if (!cancelled) throw new Error('update of registrations returned no row');
  await enqueueForRegistration(tx, 'registration_cancelled', cancelled, toEventSnapshot(event));
  const answers = (await answersOfRegistrations(tx, [cancelled])).get(cancelled.id) ?? [];
  await emitWebhook(tx, { teamId: event.teamId, type: 'registration.cancelled', data: { registration: webhookRegistration(cancelled, null, answers) } });
  const confirmedAfter = event.confirmedCount - (current.status === 'confirmed' ? 1 : 0);
  await promoteWaitlisted(tx, event.id, event.maxParticipants - confirmedAfter);
  return { registration: toRegistrationDto(cancelled, null) };
}

// The organiser's check-in from the attendee list is a scan of its own: lib/checkin/scans.ts (checkInRegistration).

// ---- answers: the guest's edits, the organiser's erasure --------------------------

/** What /r/<token> shows of the answers: those given, as given. */
export async function registrationAnswersByToken(db: Queryable, token: string): Promise<AnswerDto[] | null> {
  const row = await readRegistrationByToken(db, token);
  if (!row) return null;
  return (await answersOfRegistrations(db, [row])).get(row.id) ?? [];
}

/**
 * The guest changes their answers (keys absent stay) until the event starts:
 * each checked against the question as it is now, written as its version.
 */
export async function editAnswersByToken(tx: Tx, token: string, input: AnswersInput): Promise<{ registration: RegistrationDto; answers: AnswerDto[] }> {
  const found = await readRegistrationByToken(tx, token);
  if (!found || found.orderId !== null) throw new AppError('NOT_FOUND');
  const event = await lockEvent(tx, { id: found.eventId, publicPage: true });
  const current = event ? await lockRegistration(tx, { id: found.id, eventId: event.id }) : null;
  if (!event || !current) throw new AppError('NOT_FOUND');
  if (current.status === 'cancelled') throw new AppError('REGISTRATION_CLOSED');
  assertOpen(event);
  const errors: FieldErrors = {};
  await editAnswers(tx, { eventId: event.id, registrationId: current.id }, askedOfRegistration(await liveQuestionRows(tx, event.id)), input, 'answers', errors);
  if (Object.keys(errors).length > 0) throw new AppError('VALIDATION_FAILED', { fieldErrors: errors });
  const answers = (await answersOfRegistrations(tx, [current])).get(current.id) ?? [];
  return { registration: toRegistrationDto(current, await waitlistPositionOf(tx, current)), answers };
}

/** The address an erased guest's email becomes: one that can never receive mail (RFC 2606's `.invalid`). */
export function erasedEmailOf(registrationId: string): string {
  return `erased-${registrationId}@erased.invalid`;
}

export const ERASED_NAME = 'Erased guest';

/**
 * The organiser erases a guest's personal data (docs/api.md, "Questions"):
 * name and email replaced, free-text answers removed, choices unlinked. The
 * registration's status, seat, check-in and any money rows stay as they were.
 */
export async function erasePersonalData(
  tx: Tx,
  { eventId, registrationId, teamId }: { eventId: string; registrationId: string; teamId: string },
): Promise<{ registration: OrganiserRegistrationDto }> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  const current = event && isUuid(registrationId) ? await lockRegistration(tx, { id: registrationId, eventId: event.id }) : null;
  if (!event || !current) throw new AppError('NOT_FOUND');
  const [erased] = await tx
    .update(registrations)
    .set({ name: ERASED_NAME, email: erasedEmailOf(current.id) })
    .where(eq(registrations.id, current.id))
    .returning();
  if (!erased) throw new Error('update of registrations returned no row');
  await eraseAnswersOf(tx, current.id);
  // A ticket was named after its holder (ticket_holders, read once when the ticket was issued): that name goes too.
  if (current.orderId && current.ticketTypeId) {
    await tx
      .delete(ticketHolders)
      .where(and(eq(ticketHolders.orderId, current.orderId), eq(ticketHolders.ticketTypeId, current.ticketTypeId), eq(ticketHolders.name, current.name)));
  }
  const answers = (await answersOfRegistrations(tx, [erased])).get(erased.id) ?? [];
  return { registration: toOrganiserRegistrationDto(erased, await waitlistPositionOf(tx, erased), null, answers) };
}
