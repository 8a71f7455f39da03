// "Money, seats and keys hold on every path" (items 6, 7a, 7b) against the real
// route handlers and a real database: totals past 2^31 minor units, cursors whose
// dates Postgres refuses, and path parameters no id can have (NUL, lone
// surrogates, 10 kB segments): each a 200 or a 4xx in the envelope, never a 500.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as listEvents, POST as createEvent } from '@/app/api/events/route';
import { GET as listOrders } from '@/app/api/events/[id]/orders/route';
import { GET as listRegistrations } from '@/app/api/events/[id]/registrations/route';
import { POST as cancelRegistration } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { GET as readPublicOrder } from '@/app/api/public/orders/[token]/route';
import { POST as cancelPublicOrder } from '@/app/api/public/orders/[token]/cancel/route';
import { POST as register } from '@/app/api/public/events/[slug]/registrations/route';
import { closeDb, getPool } from '@/lib/db/pool';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser, type Organiser } from './support';

afterAll(closeDb);

async function newEvent(organiser: Organiser, overrides: Parameters<typeof validEventBody>[0] = {}): Promise<{ id: string; slug: string }> {
  const res = await call(createEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody(overrides) });
  if (res.status !== 201) throw new Error(`create event: ${res.status} ${res.text}`);
  return (res.json as { data: { event: { id: string; slug: string } } }).data.event;
}

const PRICE = 100_000_000; // the most a ticket type may cost (CHECK ticket_types_price_range)
const ORDER_TOTAL = PRICE * 10; // ten tickets, the most an order holds

/** A paid order of ten 1e8 tickets, written as the payment path leaves it: confirmed, its tickets confirmed, its payment recorded. */
async function paidOrder(eventId: string, ticketTypeId: string, index: number): Promise<void> {
  const client = await getPool().connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>(
      `insert into orders (event_id, status, name, email, token_hash, currency, total_amount, hold_expires_at, confirmed_at)
       values ($1, 'confirmed', 'Big buyer', $2, $3, 'eur', $4, now() + interval '30 minutes', now()) returning id`,
      [eventId, `buyer${index}@example.com`, randomUUID(), ORDER_TOTAL],
    );
    const orderId = rows[0]!.id;
    await client.query('insert into order_items (order_id, ticket_type_id, quantity, unit_amount) values ($1, $2, 10, $3)', [orderId, ticketTypeId, PRICE]);
    await client.query(
      `insert into registrations (event_id, name, email, status, token_hash, order_id, ticket_type_id)
       select $1, 'Big buyer', $2, 'confirmed', $3 || g, $4, $5 from generate_series(1, 10) g`,
      [eventId, `buyer${index}@example.com`, randomUUID(), orderId, ticketTypeId],
    );
    await client.query(`insert into payments (order_id, provider, amount, currency) values ($1, 'test', $2, 'eur')`, [orderId, ORDER_TOTAL]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

describe('order totals past 2^31 minor units (item 6)', () => {
  it('three paid orders of 1e9 each: the list answers 200 with exact totals', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser, { maxParticipants: 30 });
    const { rows } = await getPool().query<{ id: string }>(
      `insert into ticket_types (event_id, name, price_amount, currency) values ($1, 'Patron', $2, 'eur') returning id`,
      [event.id, PRICE],
    );
    const ticketTypeId = rows[0]!.id;
    for (let i = 0; i < 3; i++) await paidOrder(event.id, ticketTypeId, i);
    // A refund as large as one order, so the refunded sum is read the same way.
    await getPool().query(
      `insert into refunds (order_id, payment_id, amount, status, reason)
       select p.order_id, p.id, p.amount, 'succeeded', 'organiser' from payments p join orders o on o.id = p.order_id where o.event_id = $1 limit 1`,
      [event.id],
    );

    const res = await call(listOrders, 'GET', `/api/events/${event.id}/orders`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(res.status, res.text).toBe(200);
    const totals = (res.json as { data: { totals: { paid: number; refunded: number; net: number } } }).data.totals;
    expect(3 * ORDER_TOTAL).toBeGreaterThan(2 ** 31);
    expect(totals).toMatchObject({ paid: 3 * ORDER_TOTAL, refunded: ORDER_TOTAL, net: 2 * ORDER_TOTAL });
  });
});

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
const BAD_YEARS = ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z', '1969-12-31T23:59:59.000Z'];

describe('cursors with dates Postgres refuses (item 7a)', () => {
  it('the orders cursor with year 0, +010000, 275760 or before 1970 is 400 VALIDATION_FAILED on cursor', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser);
    for (const at of [...BAD_YEARS, '2020-02-30T00:00:00.000Z', 'not a date']) {
      const cursor = cursorOf(`${at}|${randomUUID()}`);
      const res = await call(listOrders, 'GET', `/api/events/${event.id}/orders?cursor=${cursor}`, { cookie: organiser.cookie, params: { id: event.id } });
      expect(res.status, at).toBe(400);
      expect(res.json).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED', fieldErrors: { cursor: [expect.any(String)] } } });
    }
    // A cursor the list itself wrote still pages.
    const ok = await call(listOrders, 'GET', `/api/events/${event.id}/orders?cursor=${cursorOf(`2027-01-01T00:00:00.000Z|${randomUUID()}`)}`, {
      cookie: organiser.cookie,
      params: { id: event.id },
    });
    expect(ok.status).toBe(200);
  });

  it('the events cursor with the same years is 400', async () => {
    const organiser = await createOrganiser();
    for (const createdAt of BAD_YEARS) {
      const cursor = cursorOf(JSON.stringify({ createdAt, id: randomUUID() }));
      const res = await call(listEvents, 'GET', `/api/events?cursor=${cursor}`, { cookie: organiser.cookie });
      expect(res.status, createdAt).toBe(400);
    }
  });
});

const HOSTILE_SEGMENTS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', 'a'.repeat(10_000), '..', '.', '%00'];

describe('path parameters no id can have (item 7b)', () => {
  it('NUL, lone surrogates and 10 kB segments in a public order token answer 404, never 500', async () => {
    for (const token of HOSTILE_SEGMENTS) {
      const read = await call(readPublicOrder, 'GET', '/api/public/orders/x', { params: { token } });
      expect(read.status, JSON.stringify(token.slice(0, 10))).toBe(404);
      expect(read.json).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
      const cancel = await call(cancelPublicOrder, 'POST', '/api/public/orders/x/cancel', { params: { token }, key: randomUUID() });
      expect(cancel.status, JSON.stringify(token.slice(0, 10))).toBe(404);
      expect(cancel.json).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('an organiser route with a NUL in the event id or the registration id answers 404', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser);
    for (const bad of HOSTILE_SEGMENTS) {
      const list = await call(listOrders, 'GET', '/api/events/x/orders', { cookie: organiser.cookie, params: { id: bad } });
      expect(list.status).toBe(404);
      const cancel = await call(cancelRegistration, 'POST', '/api/events/x/registrations/y/cancel', {
        cookie: organiser.cookie,
        key: randomUUID(),
        params: { id: event.id, rid: bad },
      });
      expect(cancel.status).toBe(404);
      expect(cancel.json).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
      const registration = await call(register, 'POST', '/api/public/events/x/registrations', {
        key: randomUUID(),
        params: { slug: bad },
        body: { name: 'Guest', email: 'guest@example.com' },
      });
      expect(registration.status).toBe(404);
    }
  });

  it('a NUL or a lone surrogate in the registrations search (q=) is a 200 or a 400, never 500', async () => {
    const organiser = await createOrganiser();
    const event = await newEvent(organiser);
    for (const q of ['%00', 'a%00b', '%ED%A0%80', '%ud800', `${'%F0%9F%98%80'.repeat(300)}`]) {
      const res = await call(listRegistrations, 'GET', `/api/events/${event.id}/registrations?q=${q}&status=%00`, {
        cookie: organiser.cookie,
        params: { id: event.id },
      });
      expect([200, 400], q).toContain(res.status);
      expect(res.json).toMatchObject({ success: res.status === 200 });
    }
  });
});
