// Promotion from the waitlist. Callers hold the event's row lock (SELECT … FOR
// UPDATE), so the free seats they computed cannot change under them; the
// trigger-kept counters and the CHECK on events back that up in the database.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { registrations, type EventRow } from '@/lib/db/schema';
import { lockEvent, readEvent, toEventSnapshot } from '@/lib/events/event-row';
import { enqueueForRegistrationIds } from '@/lib/outbox/enqueue';

/**
 * Confirms up to `seats` waitlisted registrations of the event, oldest first
 * (by `seq`, the order they registered in), writes each one's promotion mail
 * to the outbox, and returns how many it promoted.
 */
export async function promoteWaitlisted(tx: Tx, eventId: string, seats: number): Promise<number> {
  if (seats <= 0) return 0;
  const next = tx
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, 'waitlisted')))
    .orderBy(asc(registrations.seq))
    .limit(seats);
  const promoted = await tx
    .update(registrations)
    .set({ status: 'confirmed' })
    .where(inArray(registrations.id, next))
    .returning({ id: registrations.id });
  if (promoted.length > 0) {
    // Each promoted registrant gets a mail, in this transaction; the event as it is now (still locked by the caller).
    const event = await readEvent(tx, { id: eventId });
    if (!event) throw new Error('the locked event disappeared');
    // A seat of a cancelled event is nothing to announce (the cancellation mail went out).
    if (event.status === 'published') {
      await enqueueForRegistrationIds(tx, 'registration_promoted', promoted.map((r) => r.id), toEventSnapshot(event));
    }
  }
  return promoted.length;
}

/** Fills every free seat of a locked event from its waitlist; the event as it is afterwards. */
export async function fillFreeSeats(tx: Tx, event: EventRow): Promise<EventRow> {
  const promoted = await promoteWaitlisted(tx, event.id, event.maxParticipants - event.confirmedCount);
  if (promoted === 0) return event;
  const after = await lockEvent(tx, { id: event.id });
  if (!after) throw new Error('the locked event disappeared');
  return after;
}
