// The organiser's numbers (docs/api.md, "The organiser's numbers") against
// the rows they come from: paid orders, a partial refund, a check-in, sales on
// two of the event's days where the UTC date is another.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as listEvents } from '@/app/api/events/route';
import { GET as getEvent } from '@/app/api/events/[id]/route';
import { POST as refundOrder } from '@/app/api/events/[id]/orders/[oid]/refund/route';
import { POST as checkIn } from '@/app/api/events/[id]/registrations/[rid]/check-in/route';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { settleRefund } from '@/lib/tickets/refunds';
import { refunds } from '@/lib/db/schema';
import { eq } from 'drizzle-orm';
import type { EventStats, EventSales, Money } from '@/lib/tickets/schemas';
import { call, createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

afterAll(async () => {
  await closeDb();
});

// UTC-3:30: 02:00Z on the 10th is still the 9th there; 05:00Z is the 10th in both.
const ZONE = 'America/St_Johns';

async function pay(order: { id: string; total: { amount: number } }): Promise<void> {
  const outcome = await getDb().transaction((tx) =>
    recordPaymentEvent(tx, {
      provider: 'test',
      id: `evt_stats_${randomUUID()}`,
      type: 'checkout.session.completed',
      session: { id: `test_cs_${order.id}`, checkoutId: order.id, orderId: order.id, paid: true, amountTotal: order.total.amount, currency: 'eur', paymentId: `test_pi_${order.id}` },
    }),
  );
  expect(outcome).toBe('order_paid');
}

/**
 * Moves an order's payment and tickets to another instant. Payments are append-only
 * (a trigger refuses updates), so this one session turns user triggers off to backdate them.
 */
async function backdate(orderId: string, at: string): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query(`set session_replication_role = replica`);
    await client.query(`update payments set created_at = $2 where order_id = $1`, [orderId, at]);
    await client.query(`update registrations set created_at = $2 where order_id = $1`, [orderId, at]);
    await client.query(`update refunds set created_at = $2 where order_id = $1`, [orderId, at]);
  } finally {
    await client.query(`set session_replication_role = origin`);
    client.release();
  }
}

async function statsOf(organiser: Organiser, eventId: string): Promise<EventStats | undefined> {
  const res = await call(getEvent, 'GET', `/api/events/${eventId}`, { cookie: organiser.cookie, params: { id: eventId } });
  expect(res.status, res.text).toBe(200);
  return (res.json as { data: { stats?: EventStats } }).data.stats;
}

async function salesInList(organiser: Organiser, eventId: string): Promise<EventSales | undefined> {
  const res = await call(listEvents, 'GET', '/api/events', { cookie: organiser.cookie });
  expect(res.status, res.text).toBe(200);
  const { events } = (res.json as { data: { events: ({ id: string } & EventSales)[] } }).data;
  const found = events.find((event) => event.id === eventId);
  return found && { ticketsSold: found.ticketsSold, revenue: found.revenue };
}

const rows = async <T>(text: string, values: unknown[]) => (await getPool().query(text, values)).rows as T[];

describe("the organiser's numbers", () => {
  it('equal the payment, refund and registration rows, by the event’s own days', async () => {
    await loadServerKeys();
    const organiser = await createOrganiser();
    const { event, typeIds } = await ticketedEvent(organiser, [1500, 0], { timezone: ZONE });
    const [paidType = '', freeType = ''] = typeIds;

    // Nothing sold yet: zero, in the event's currency, no days.
    const empty: Money = { amount: 0, currency: 'eur' };
    expect(await statsOf(organiser, event.id)).toEqual({ ticketsSold: 0, revenue: empty, checkedIn: 0, salesByDay: [] });
    expect(await salesInList(organiser, event.id)).toEqual({ ticketsSold: 0, revenue: empty });

    const first = await placeOrder(event.slug, paidType, 2);
    const second = await placeOrder(event.slug, paidType, 3);
    const free = await placeOrder(event.slug, freeType, 1);
    const unpaid = await placeOrder(event.slug, paidType, 1);
    await pay(first);
    await pay(second);

    // A partial refund of the first order, reported succeeded by the provider.
    const refunded = await call(refundOrder, 'POST', `/api/events/${event.id}/orders/${first.id}/refund`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, oid: first.id },
      body: { amount: 500 },
    });
    expect(refunded.status, refunded.text).toBe(201);
    await getDb().transaction(async (tx) => {
      const [row] = await tx.select().from(refunds).where(eq(refunds.orderId, first.id));
      if (!row) throw new Error('refund row expected');
      await settleRefund(tx, row, { providerRefundId: `re_${randomUUID()}`, status: 'succeeded' });
    });

    // The 9th in St John's (10th in UTC) and the 10th in both.
    await backdate(first.id, '2027-01-10T02:00:00Z');
    await backdate(second.id, '2027-01-10T05:00:00Z');
    await backdate(free.id, '2027-01-10T05:30:00Z');

    // One ticket of the second order admitted at the door.
    const [ticket] = await rows<{ id: string }>(`select id from registrations where order_id = $1 limit 1`, [second.id]);
    const admitted = await call(checkIn, 'POST', `/api/events/${event.id}/registrations/${ticket?.id}/check-in`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, rid: ticket?.id ?? '' },
    });
    expect(admitted.status, admitted.text).toBe(200);

    const stats = await statsOf(organiser, event.id);
    expect(stats).toEqual({
      ticketsSold: 6,
      revenue: { amount: 3000 + 4500 - 500, currency: 'eur' },
      checkedIn: 1,
      salesByDay: [
        { date: '2027-01-09', tickets: 2, amount: 3000 - 500 },
        { date: '2027-01-10', tickets: 4, amount: 4500 },
      ],
    });
    expect(await salesInList(organiser, event.id)).toEqual({ ticketsSold: 6, revenue: { amount: 7000, currency: 'eur' } });

    // The same numbers straight from the rows.
    const [fromRows] = await rows<{ sold: number; paid: number; returned: number; admitted: number }>(
      `select
         (select count(*)::int from registrations where event_id = $1 and order_id is not null and status = 'confirmed') sold,
         (select sum(p.amount)::int from payments p join orders o on o.id = p.order_id where o.event_id = $1) paid,
         (select sum(f.amount)::int from refunds f join orders o on o.id = f.order_id where o.event_id = $1 and f.status = 'succeeded') returned,
         (select count(*)::int from registrations where event_id = $1 and status = 'confirmed' and checked_in_at is not null) admitted`,
      [event.id],
    );
    expect(fromRows).toEqual({ sold: stats?.ticketsSold, paid: 7500, returned: 500, admitted: stats?.checkedIn });
    expect(unpaid.total.amount).toBe(1500);
  });

  it('are the team’s alone: another organiser gets 404 for the published event, numbers and all', async () => {
    const organiser = await createOrganiser();
    const { event } = await ticketedEvent(organiser, [1500]);
    const other = await createOrganiser();
    const res = await call(getEvent, 'GET', `/api/events/${event.id}`, { cookie: other.cookie, params: { id: event.id } });
    expect(res.status, res.text).toBe(404);
    expect(res.text).not.toContain('stats');
  });

  it('leave revenue null for an event that sells nothing', async () => {
    const organiser = await createOrganiser();
    const { event } = await ticketedEvent(organiser, []);
    expect(await statsOf(organiser, event.id)).toEqual({ ticketsSold: 0, revenue: null, checkedIn: 0, salesByDay: [] });
    expect(await salesInList(organiser, event.id)).toEqual({ ticketsSold: 0, revenue: null });
  });
});
