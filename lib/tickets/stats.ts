// The organiser's numbers, computed in SQL from the rows that hold them:
// tickets are registrations of orders still confirmed (a refunded or
// cancelled ticket leaves the count), revenue is payments minus refunds the
// provider reported succeeded, check-ins are confirmed registrations with an
// admission. Days are the event's own calendar days (its `timezone`).
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { safeInteger } from '@/lib/db/numbers';
import { events, orders, payments, refunds, registrations, ticketTypes, type EventRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { readEvent, seatsHeld, toEventDto } from '@/lib/events/event-row';
import { listOwnEvents } from '@/lib/events/queries';
import type { EventDto } from '@/lib/events/schemas';
import type { EventSales, EventStats, Money, SalesDay } from './schemas';

type DayRow = { date: string; tickets: string | number; amount: string | number };

/** Per event `e`: its currency (its ticket types' one, else what it was paid in; null when it sells nothing), tickets sold, money in and back, admissions. */
const PER_EVENT = sql`
  coalesce(
    (select min(t.currency) from ${ticketTypes} t where t.event_id = e.id),
    (select min(p.currency) from ${payments} p join ${orders} o on o.id = p.order_id where o.event_id = e.id)) as currency,
  (select count(*) from ${registrations} r where r.event_id = e.id and r.order_id is not null and r.status = 'confirmed') as tickets_sold,
  (select coalesce(sum(p.amount), 0) from ${payments} p join ${orders} o on o.id = p.order_id where o.event_id = e.id) as paid,
  (select coalesce(sum(f.amount), 0) from ${refunds} f join ${orders} o on o.id = f.order_id where o.event_id = e.id and f.status = 'succeeded') as refunded,
  (select count(*) from ${registrations} r where r.event_id = e.id and r.status = 'confirmed' and r.checked_in_at is not null) as checked_in`;

type PerEventRow = { id: string; currency: string | null; tickets_sold: string; paid: string; refunded: string; checked_in: string };

function moneyOf(amount: number, currency: string | null): Money | null {
  return currency ? { amount, currency } : null;
}

/** The numbers of one event, in three statements whatever its size. */
export async function eventStatsOf(db: Queryable, event: Pick<EventRow, 'id' | 'timezone'>): Promise<EventStats> {
  const zone = event.timezone;
  const days = await db.execute<DayRow>(sql`
    select to_char(day, 'YYYY-MM-DD') as date, sum(tickets) as tickets, sum(amount) as amount from (
      select (r.created_at at time zone ${zone})::date as day, count(*) as tickets, 0::bigint as amount
        from ${registrations} r
        where r.event_id = ${event.id} and r.order_id is not null and r.status = 'confirmed'
        group by 1
      union all
      select (p.created_at at time zone ${zone})::date, 0, sum(p.amount)
        from ${payments} p join ${orders} o on o.id = p.order_id
        where o.event_id = ${event.id}
        group by 1
      union all
      select (f.created_at at time zone ${zone})::date, 0, -sum(f.amount)
        from ${refunds} f join ${orders} o on o.id = f.order_id
        where o.event_id = ${event.id} and f.status = 'succeeded'
        group by 1
    ) d
    group by day
    order by day`);
  const salesByDay: SalesDay[] = days.rows.map((row) => ({ date: row.date, tickets: safeInteger(row.tickets), amount: safeInteger(row.amount) }));
  const summary = await db.execute<PerEventRow>(sql`select e.id, ${PER_EVENT} from ${events} e where e.id = ${event.id}`);
  const currency = summary.rows[0]?.currency ?? null;
  const revenue = salesByDay.reduce((sum, day) => sum + day.amount, 0);
  return {
    ticketsSold: salesByDay.reduce((sum, day) => sum + day.tickets, 0),
    revenue: moneyOf(revenue, currency),
    checkedIn: safeInteger(summary.rows[0]?.checked_in),
    salesByDay,
  };
}

/** Tickets sold and revenue of several events, in one statement. */
export async function salesOfEvents(db: Queryable, eventIds: string[]): Promise<Map<string, EventSales>> {
  if (eventIds.length === 0) return new Map();
  const result = await db.execute<PerEventRow>(sql`select e.id, ${PER_EVENT} from ${events} e where e.id in ${eventIds}`);
  const rows = result.rows.map((row) => ({ id: row.id, ticketsSold: safeInteger(row.tickets_sold), paid: safeInteger(row.paid), refunded: safeInteger(row.refunded), currency: row.currency }));
  return new Map(rows.map((row) => [row.id, { ticketsSold: row.ticketsSold, revenue: moneyOf(row.paid - row.refunded, row.currency) }]));
}

export type EventWithSales = EventDto & EventSales;

/** `GET /api/events`: the team's events, a page at a time, each with its tickets sold and revenue. */
export async function listOwnEventsWithSales(
  db: Queryable,
  teamId: string,
  page: Parameters<typeof listOwnEvents>[2],
): Promise<{ events: EventWithSales[]; nextCursor: string | null }> {
  const list = await listOwnEvents(db, teamId, page);
  const sales = await salesOfEvents(db, list.events.map((event) => event.id));
  return {
    events: list.events.map((event) => ({ ...event, ...(sales.get(event.id) ?? { ticketsSold: 0, revenue: null }) })),
    nextCursor: list.nextCursor,
  };
}

/**
 * `GET /api/events/:id`: the team's event (the route has checked the caller is
 * in the team; 404 otherwise), with its numbers when the caller may see ticket
 * data (`withStats`: not the door role).
 */
export async function eventForViewer(db: Queryable, eventId: string, teamId: string, withStats: boolean): Promise<{ event: EventDto; stats?: EventStats }> {
  const row = await readEvent(db, { id: eventId, teamId });
  if (!row) throw new AppError('NOT_FOUND');
  // What is left counts live holds here too (seatsLeft): the organiser's answer and the public page agree.
  const event = toEventDto(row, await seatsHeld(db, row.id));
  return withStats ? { event, stats: await eventStatsOf(db, row) } : { event };
}
