// The organiser's view of an event's registrations (docs/api.md, organiser endpoints).
import { and, asc, count, eq, gt, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { answers, orderItems, orders, payments, registrations, ticketTypes } from '@/lib/db/schema';
import { REGISTRATION_STATUSES } from '@/lib/enums';
import { readEvent } from '@/lib/events/event-row';
import { z } from '@/lib/zod';
import { answersOfRegistrations } from '@/lib/questions/answers';
import { toOrganiserRegistrationDto } from './registration-row';
import type { AttendeeTicketDto, OrganiserRegistrationDto, RegistrationList } from './schemas';

export const listRegistrationsQuerySchema = z.object({
  status: z.enum(REGISTRATION_STATUSES, { error: 'invalid' }).optional(),
  q: z.string().trim().max(200, 'invalid').optional(),
  limit: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').default(50),
  cursor: z.string().regex(/^\d{1,15}$/, 'invalid').optional(),
});

export type ListRegistrationsQuery = z.output<typeof listRegistrationsQuerySchema>;

export type { OrganiserRegistrationDto, RegistrationList };

/** `%`, `_` and `\` match themselves in the search. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The 1-based waitlist positions of `ids` (waitlisted registrations of the
 * event): the waitlist numbered once, in seq order, in its own query after the
 * page is read, so neither a deep page nor the planner's choice of join can
 * make a page cost more than one pass over the waitlist.
 */
async function waitlistPositions(db: Queryable, eventId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const queue = db
    .select({
      id: registrations.id,
      position: sql<number>`(row_number() over (order by ${registrations.seq}))::int`.as('position'),
    })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, 'waitlisted')))
    .as('queue');
  const rows = await db.select({ id: queue.id, position: queue.position }).from(queue).where(inArray(queue.id, ids));
  return new Map(rows.map((r) => [r.id, r.position]));
}

/**
 * The orders behind the page's tickets (a ticket is a registration with an
 * order): number, type, price and whether it was paid, in one query. Read
 * here, beside the list, because lib/tickets sits above this folder.
 */
async function ticketsOfPage(db: Queryable, ids: string[]): Promise<Map<string, AttendeeTicketDto>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({
      id: registrations.id,
      orderId: orders.id,
      orderNumber: orders.number,
      ticketType: ticketTypes.name,
      amount: sql<number>`${orderItems.unitAmount} - ${orderItems.unitDiscount}`,
      currency: orders.currency,
      paid: sql<boolean>`exists (select 1 from ${payments} where ${payments.orderId} = ${orders.id})`,
    })
    .from(registrations)
    .innerJoin(orders, eq(orders.id, registrations.orderId))
    .innerJoin(ticketTypes, eq(ticketTypes.id, registrations.ticketTypeId))
    .innerJoin(orderItems, and(eq(orderItems.orderId, orders.id), eq(orderItems.ticketTypeId, registrations.ticketTypeId)))
    .where(inArray(registrations.id, ids));
  return new Map(
    rows.map((r) => [r.id, { orderId: r.orderId, orderNumber: r.orderNumber, ticketType: r.ticketType, price: { amount: r.amount, currency: r.currency }, paid: r.paid }]),
  );
}

/** A registration whose answers (its own, or its order's) read like the search. */
function answerMatches(pattern: string) {
  return sql`exists (select 1 from ${answers} where (${answers.registrationId} = ${registrations.id} or (${answers.orderId} = ${registrations.orderId} and ${answers.holderIndex} is null)) and ${answers.text} ilike ${pattern})`;
}

/** The owner's event's registrations, oldest first; null when the event is not theirs (a 404). */
export async function listEventRegistrations(
  db: Queryable,
  eventId: string,
  teamId: string,
  query: ListRegistrationsQuery,
): Promise<RegistrationList | null> {
  const event = await readEvent(db, { id: eventId, teamId });
  if (!event) return null;

  const tally = await db
    .select({ status: registrations.status, n: count() })
    .from(registrations)
    .where(eq(registrations.eventId, eventId))
    .groupBy(registrations.status);
  const counted = (status: string) => tally.find((t) => t.status === status)?.n ?? 0;

  const search = query.q ? likePattern(query.q) : null;
  const rows = await db
    .select()
    .from(registrations)
    .where(
      and(
        eq(registrations.eventId, eventId),
        query.status ? eq(registrations.status, query.status) : undefined,
        search ? or(ilike(registrations.name, search), ilike(registrations.email, search), answerMatches(search)) : undefined,
        query.cursor ? gt(registrations.seq, Number(query.cursor)) : undefined,
      ),
    )
    .orderBy(asc(registrations.seq))
    .limit(query.limit + 1);
  const positions = await waitlistPositions(
    db,
    eventId,
    rows.filter((r) => r.status === 'waitlisted').map((r) => r.id),
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const tickets = await ticketsOfPage(db, page.filter((row) => row.orderId !== null).map((row) => row.id));
  const answered = await answersOfRegistrations(db, page);
  return {
    registrations: page.map((row) => toOrganiserRegistrationDto(row, positions.get(row.id) ?? null, tickets.get(row.id) ?? null, answered.get(row.id) ?? [])),
    nextCursor: rows.length > query.limit && last ? String(last.seq) : null,
    counts: { confirmed: counted('confirmed'), waitlisted: counted('waitlisted'), cancelled: counted('cancelled') },
  };
}
