// Paid tickets, against the real route handlers and a real
// database: orders placed by guests, their one Checkout Session opened through
// the official SDK (pointed at the local stand-in, STRIPE_API_BASE), webhooks
// signed by the SDK's generateTestHeaderString and applied through the inbox,
// refunds sent by the refund worker through the SDK with `refund-<id>` keys.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PATCH as patchEvent } from '@/app/api/events/[id]/route';
import { GET as listOrders } from '@/app/api/events/[id]/orders/route';
import { POST as refundOrder } from '@/app/api/events/[id]/orders/[oid]/refund/route';
import { GET as listTypes, POST as createType } from '@/app/api/events/[id]/ticket-types/route';
import { PATCH as patchType } from '@/app/api/events/[id]/ticket-types/[tid]/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as getPublicEvent } from '@/app/api/public/events/[slug]/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { GET as getOrder } from '@/app/api/public/orders/[token]/route';
import { POST as cancelOrder } from '@/app/api/public/orders/[token]/cancel/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { POST as stripeWebhook } from '@/app/api/webhooks/stripe/route';
import { POST as cancelAttendeeRoute } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { POST as checkInRoute } from '@/app/api/events/[id]/registrations/[rid]/check-in/route';
import { POST as retryRefundRoute } from '@/app/api/events/[id]/orders/[oid]/refunds/[rfid]/retry/route';
import { route } from '@/lib/http/route';
import { verifyTicketCode } from '@/lib/checkin/code';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { openOrderPayment } from '@/lib/tickets/payments';
import { sendDueRefunds } from '@/lib/tickets/refund-worker';
import { holdsOf, listTicketTypeRows, ticketTypesAndHolds } from '@/lib/tickets/ticket-types';
import { runTicketRound } from '@/lib/tickets/worker';
import { validEventBody } from '../support/event-body';
import { FakeStripeCheckout, stripeEvent } from './fakes/stripe-checkout';
import { call, createOrganiser, ORIGIN, type Organiser } from './support';

const SECRET_KEY = 'sk_test_fake_issue22';
const WEBHOOK_SECRET = 'whsec_test_issue22';
const fake = new FakeStripeCheckout(SECRET_KEY);

beforeAll(async () => {
  await fake.serveAsStripe(WEBHOOK_SECRET);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
  await closeDb();
});

beforeEach(() => {
  delete process.env.HOLD_MINUTES;
  fake.refundStatus = 'succeeded';
});

// The money invariants, from outside, after every test.
afterEach(async () => {
  const pool = getPool();
  // Refunds of a payment never exceed it.
  const over = await pool.query(
    `select p.id from payments p join refunds r on r.payment_id = p.id and r.status <> 'failed' group by p.id, p.amount having sum(r.amount) > p.amount`,
  );
  expect(over.rows).toEqual([]);
  // A paid order has its seats or its money back.
  const stranded = await pool.query(
    `select o.id from orders o join payments p on p.order_id = o.id
      where not exists (select 1 from registrations r where r.order_id = o.id and r.status = 'confirmed')
        and coalesce((select sum(amount) from refunds r where r.order_id = o.id), 0) < p.amount`,
  );
  expect(stranded.rows).toEqual([]);
  // Confirmed tickets never exceed a type's quantity; sold_count follows them.
  const types = await pool.query(
    `select t.id from ticket_types t
      where t.sold_count <> (select count(*) from registrations r where r.ticket_type_id = t.id and r.status = 'confirmed')
         or (t.quantity is not null and t.sold_count > t.quantity)`,
  );
  expect(types.rows).toEqual([]);
});

type Json = Record<string, unknown> | null;
const data = <T>(res: { json: Json }): T => (res.json as { data: T }).data;
const errorOf = (res: { json: Json }) => (res.json as { error: { code: string; details?: Record<string, unknown> } }).error;

type TicketType = { id: string; name: string; price: { amount: number; currency: string }; quantity: number | null; sold: number; held: number; available: number };
type Order = { id: string; number: number; status: string; total: { amount: number; currency: string }; refunded: number; refundPending: number; holdExpiresAt: string };
type Placed = { order: Order; paymentUrl: string | null; manageUrl: string };

let organiser: Organiser;

async function eventWith(capacity: number, types: { name: string; amount: number; quantity?: number }[]) {
  organiser ??= await createOrganiser();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: capacity }) });
  expect(res.status, res.text).toBe(201);
  const event = data<{ event: { id: string; slug: string; version: number } }>(res).event;
  const created: TicketType[] = [];
  for (const type of types) {
    const body = { name: type.name, price: { amount: type.amount, currency: 'EUR' }, ...(type.quantity !== undefined && { quantity: type.quantity }) };
    const t = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, { cookie: organiser.cookie, key: randomUUID(), body, params: { id: event.id } });
    expect(t.status, t.text).toBe(201);
    created.push(data<{ ticketType: TicketType }>(t).ticketType);
  }
  return { ...event, types: created };
}

function order(slug: string, items: { ticketTypeId: string; quantity: number }[], options: { key?: string; email?: string; address?: string } = {}) {
  return call(postOrder, 'POST', `/api/public/events/${slug}/orders`, {
    key: options.key ?? randomUUID(),
    params: { slug },
    body: { name: 'Guest', email: options.email ?? `guest-${randomUUID().slice(0, 8)}@example.com`, items },
    headers: { 'x-forwarded-for': options.address ?? `10.22.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
  });
}

async function placed(slug: string, items: { ticketTypeId: string; quantity: number }[]): Promise<Placed & { token: string }> {
  const res = await order(slug, items);
  expect(res.status, res.text).toBe(201);
  const p = data<Placed>(res);
  return { ...p, token: p.manageUrl.slice('/o/'.length) };
}

/**
 * An order placed 31 minutes ago by the one clock: its hold (30 minutes and
 * Stripe's slack) has run out now, with no wait, while every other hold, and
 * the sweep, keep the real time.
 */
async function placedLapsed(slug: string, items: { ticketTypeId: string; quantity: number }[]): Promise<Placed & { token: string }> {
  setClock(manualClock(Date.now() - 31 * 60_000));
  try {
    return await placed(slug, items);
  } finally {
    setClock(undefined);
  }
}

/** Opens the order's one Checkout Session, as /o/<token>/pay does, and finds it at the stand-in. */
async function session(token: string) {
  const opened = await openOrderPayment(getDb(), token, ORIGIN);
  expect(opened?.state).toBe('redirect');
  const url = opened?.state === 'redirect' ? opened.url : '';
  const found = [...fake.sessions.values()].find((s) => s.url === url);
  if (!found) throw new Error('no session at the stand-in');
  return found;
}

function completed(s: { id: string; client_reference_id: string | null; amount_total: number; currency: string }, options: { id?: string; type?: string; paid?: boolean } = {}) {
  return stripeEvent(
    options.type ?? 'checkout.session.completed',
    {
      id: s.id,
      object: 'checkout.session',
      client_reference_id: s.client_reference_id,
      metadata: { order_id: s.client_reference_id },
      payment_status: options.paid === false ? 'unpaid' : 'paid',
      status: options.type === 'checkout.session.expired' ? 'expired' : 'complete',
      amount_total: s.amount_total,
      currency: s.currency,
      payment_intent: `pi_${s.client_reference_id?.replaceAll('-', '')}`,
      mode: 'payment',
    },
    options.id,
  );
}

/**
 * A session Stripe opened for the order that our page never stored (a crash
 * between Stripe's answer and our write): the webhook makes it the order's
 * one session. Lets a test's hold run out, which opening the page would extend.
 */
function unstoredSession(p: Placed) {
  return { id: `cs_test_unstored_${p.order.id.slice(0, 8)}`, client_reference_id: p.order.id, amount_total: p.order.total.amount, currency: p.order.total.currency };
}

async function deliver(event: unknown) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  return call(stripeWebhook, 'POST', '/api/webhooks/stripe', { rawBody: payload, headers: { 'stripe-signature': signature } });
}

function refund(eventId: string, orderId: string, body: unknown, key = randomUUID()) {
  return call(refundOrder, 'POST', `/api/events/${eventId}/orders/${orderId}/refund`, {
    cookie: organiser.cookie,
    key,
    params: { id: eventId, oid: orderId },
    body,
  });
}

async function orderRow(id: string) {
  const { rows } = await getPool().query<{ status: string }>('select status from orders where id = $1', [id]);
  return rows[0];
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

describe('ticket types', () => {
  it('lists sold, held and available; refuses a quantity below sold and held', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 2500, quantity: 5 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    await placed(event.slug, [{ ticketTypeId: type.id, quantity: 3 }]);
    const listed = await call(listTypes, 'GET', `/api/events/${event.id}/ticket-types`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(data<{ ticketTypes: TicketType[] }>(listed).ticketTypes[0]).toMatchObject({ sold: 0, held: 3, available: 2, price: { amount: 2500, currency: 'eur' } });
    const lower = await call(patchType, 'PATCH', `/api/events/${event.id}/ticket-types/${type.id}`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, tid: type.id },
      body: { quantity: 2 },
    });
    expect(lower.status).toBe(409);
    expect(errorOf(lower)).toMatchObject({ code: 'QUANTITY_BELOW_SOLD', details: { sold: 0, held: 3 } });
    const other = await createOrganiser();
    const foreign = await call(listTypes, 'GET', `/api/events/${event.id}/ticket-types`, { cookie: other.cookie, params: { id: event.id } });
    expect(foreign.status).toBe(404);
    const pub = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect(data<{ seats: { held: number }; ticketTypes: { available: number; onSale: boolean }[] }>(pub)).toMatchObject({
      seats: { held: 3 },
      ticketTypes: [{ available: 2, onSale: true }],
    });
  });
});

describe('guest orders', () => {
  it('holds seats, answers a replay with the same order and payment URL, and opens one Checkout Session per order, ever', async () => {
    const event = await eventWith(10, [
      { name: 'Standard', amount: 2000 },
      { name: 'VIP', amount: 5000 },
    ]);
    const [standard, vip] = event.types;
    if (!standard || !vip) throw new Error('no types');
    const key = randomUUID();
    const items = [
      { ticketTypeId: standard.id, quantity: 1 },
      { ticketTypeId: vip.id, quantity: 1 },
    ];
    const first = await order(event.slug, items, { key, email: 'buyer@example.com', address: '10.1.1.1' });
    const again = await order(event.slug, items, { key, email: 'buyer@example.com', address: '10.1.1.1' });
    expect(first.status, first.text).toBe(201);
    expect(again.headers.get('x-idempotency-replay')).toBe('true');
    const p = data<Placed>(first);
    expect(data<Placed>(again)).toEqual(p);
    expect(p.order).toMatchObject({ status: 'pending_payment', total: { amount: 7000, currency: 'eur' } });
    expect(p.paymentUrl).toBe(`${p.manageUrl}/pay`);
    const token = p.manageUrl.slice(3);

    // Two tabs, a reload: one session.
    const before = fake.calls.length;
    const opened = await Promise.all([1, 2, 3].map(() => openOrderPayment(getDb(), token, ORIGIN)));
    const urls = new Set(opened.map((o) => (o?.state === 'redirect' ? o.url : null)));
    expect(urls.size).toBe(1);
    const sessionCalls = fake.calls.slice(before).filter((c) => c.path === '/v1/checkout/sessions');
    expect(new Set(sessionCalls.map((c) => c.idempotencyKey))).toEqual(new Set([`order-${p.order.id}`]));
    const created = [...fake.sessions.values()].filter((s) => s.client_reference_id === p.order.id);
    expect(created).toHaveLength(1);
    expect(created[0]?.expires_at).toBe(Math.floor(Date.parse(p.order.holdExpiresAt) / 1000));
    expect(created[0]?.amount_total).toBe(7000);
  });

  it('refuses more than is left: SOLD_OUT with what is available', async () => {
    const event = await eventWith(3, [{ name: 'Standard', amount: 1000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const res = await order(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'SOLD_OUT', details: { ticketTypeId: type.id, available: 1 } });
    const tooMany = await order(event.slug, [{ ticketTypeId: type.id, quantity: 11 }]);
    expect(tooMany.status).toBe(400);
  });

  it('confirms a free order at once, without a payment', async () => {
    const event = await eventWith(5, [{ name: 'Free', amount: 0 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    expect(p.order.status).toBe('confirmed');
    expect(p.paymentUrl).toBeNull();
    const got = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ tickets: { status: string }[] }>(got).tickets.map((t) => t.status)).toEqual(['confirmed', 'confirmed']);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_confirmed' and recipient = (select email from orders where id = $1)`, [p.order.id])).toBe(1);
  });

  it('60 concurrent orders for 10 seats: exactly 10 held, never more', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1500 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => order(event.slug, [{ ticketTypeId: type.id, quantity: 1 }], { address: `10.60.${i}.1` })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 409).every((a) => errorOf(a).code === 'SOLD_OUT')).toBe(true);
  });

  it('the one-round-trip read under the lock counts the holds as the separate reads do, an expired hold and an excepted order aside', async () => {
    const event = await eventWith(20, [
      { name: 'Standard', amount: 1500 },
      { name: 'VIP', amount: 5000, quantity: 5 },
      { name: 'Unheld', amount: 900 },
    ]);
    const [standard, vip] = event.types;
    if (!standard || !vip) throw new Error('no types');
    const mixed = await placed(event.slug, [
      { ticketTypeId: standard.id, quantity: 2 },
      { ticketTypeId: vip.id, quantity: 1 },
    ]);
    await placed(event.slug, [{ ticketTypeId: vip.id, quantity: 3 }]);
    await placedLapsed(event.slug, [{ ticketTypeId: standard.id, quantity: 4 }]); // a hold that has run out (no sweep runs in this file unless asked)
    const db = getDb();
    for (const except of [undefined, mixed.order.id]) {
      const joint = await ticketTypesAndHolds(db, event.id, except);
      expect(joint.types).toEqual(await listTicketTypeRows(db, event.id));
      expect(joint.holds).toEqual(await holdsOf(db, event.id, except));
    }
    expect((await ticketTypesAndHolds(db, event.id)).holds).toEqual({ total: 6, byType: new Map([[standard.id, 2], [vip.id, 4]]) });
  });
});

describe('the webhook', () => {
  it('confirms the order once under a redelivery storm, with its tickets and one receipt', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 2000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const s = await session(p.token);
    const paid = completed(s);
    // The same event 10 times at once, and 5 other event ids for the same payment.
    const storm = await Promise.all([...Array.from({ length: 10 }, () => deliver(paid)), ...Array.from({ length: 5 }, () => deliver(completed(s)))]);
    expect(storm.every((r) => r.status === 200)).toBe(true);
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    expect(await count('select count(*) n from payments where order_id = $1', [p.order.id])).toBe(1);
    expect(await count(`select count(*) n from registrations where order_id = $1 and status = 'confirmed'`, [p.order.id])).toBe(2);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_confirmed' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(1);
    // Reordered: the session's expiry arriving after its payment changes nothing.
    expect((await deliver(completed(s, { type: 'checkout.session.expired' }))).status).toBe(200);
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    const got = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ order: Order; tickets: unknown[] }>(got)).toMatchObject({ order: { status: 'confirmed' }, tickets: [{}, {}] });
  });

  it('a session expired by Stripe expires the order and frees its seats', async () => {
    const event = await eventWith(2, [{ name: 'Standard', amount: 2000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const s = await session(p.token);
    expect((await order(event.slug, [{ ticketTypeId: type.id, quantity: 1 }])).status).toBe(409);
    await deliver(completed(s, { type: 'checkout.session.expired' }));
    expect((await orderRow(p.order.id))?.status).toBe('expired');
    expect((await order(event.slug, [{ ticketTypeId: type.id, quantity: 2 }])).status).toBe(201);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_hold_expired' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(1);
  });

  it('a late payment confirms when the seats are still free', async () => {
    const event = await eventWith(4, [{ name: 'Standard', amount: 2000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placedLapsed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const s = unstoredSession(p);
    // The sweep, with no webhook at all: the hold is gone.
    await runTicketRound(getDb());
    expect((await orderRow(p.order.id))?.status).toBe('expired');
    await deliver(completed(s));
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    expect(await count(`select count(*) n from refunds where order_id = $1`, [p.order.id])).toBe(0);
  });

  it('a late payment whose seats went to others is refunded in full, once, with a mail that says why', async () => {
    const event = await eventWith(2, [{ name: 'Standard', amount: 2000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const late = await placedLapsed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const lateSession = unstoredSession(late);
    const other = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    await deliver(completed(await session(other.token)));
    expect((await orderRow(other.order.id))?.status).toBe('confirmed');

    const paidLate = completed(lateSession);
    await Promise.all([deliver(paidLate), deliver(paidLate), deliver(completed(lateSession))]);
    // No seats for it, the money on its way back: it is refunded when Stripe says so.
    expect((await orderRow(late.order.id))?.status).toBe('expired');
    expect(await count(`select count(*) n from registrations where order_id = $1`, [late.order.id])).toBe(0);
    // A process without Stripe's key (a worker on another host) leaves the refund to one that has it: not claimed, no attempt counted.
    // (Other files' test-provider refunds in the shared database may be sent by this round: only this order's is asked about.)
    delete process.env.STRIPE_SECRET_KEY;
    try {
      await sendDueRefunds(getDb());
    } finally {
      process.env.STRIPE_SECRET_KEY = SECRET_KEY;
    }
    expect(await count(`select attempts n from refunds where order_id = $1`, [late.order.id])).toBe(0);
    await sendDueRefunds(getDb());
    await sendDueRefunds(getDb());
    expect((await orderRow(late.order.id))?.status).toBe('refunded');
    const refunds = [...fake.refunds.values()].filter((r) => r.payment_intent === `pi_${late.order.id.replaceAll('-', '')}`);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.amount).toBe(4000);
    const { rows } = await getPool().query<{ status: string; id: string }>('select id, status from refunds where order_id = $1', [late.order.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('succeeded');
    expect(fake.calls.filter((c) => c.path === '/v1/refunds' && c.idempotencyKey === `refund-${rows[0]?.id}`).length).toBeGreaterThanOrEqual(1);
    const mail = await getPool().query<{ payload: { order: { refundReason: string; refundAmount: number } } }>(
      `select payload from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`,
      [String(late.order.number)],
    );
    expect(mail.rows).toHaveLength(1);
    expect(mail.rows[0]?.payload.order).toMatchObject({ refundReason: 'late_payment_no_seats', refundAmount: 4000 });
  });
});

describe('refunds', () => {
  async function paidOrder(amount = 3000, quantity = 2) {
    const event = await eventWith(10, [{ name: 'Standard', amount }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity }]);
    await deliver(completed(await session(p.token)));
    return { event, p };
  }


  it('concurrent refunds from two tabs never exceed what was paid', async () => {
    const { event, p } = await paidOrder();
    const answers = await Promise.all([refund(event.id, p.order.id, { amount: 4000 }), refund(event.id, p.order.id, { amount: 4000 })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const refused = answers.find((a) => a.status === 409);
    expect(refused && errorOf(refused)).toMatchObject({ code: 'REFUND_EXCEEDS_PAID', details: { refundable: 2000 } });
    // A partial refund leaves the order confirmed with its tickets.
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    // The rest, by default: the order is refunded, its tickets cancelled, its seats free.
    const rest = await refund(event.id, p.order.id, {});
    expect(rest.status, rest.text).toBe(201);
    expect(data<{ refund: { amount: number; status: string } }>(rest).refund).toMatchObject({ amount: 2000, status: 'pending' });
    // The seats stay with the guest until Stripe reports the money back.
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    expect(await count(`select count(*) n from registrations where order_id = $1 and status = 'confirmed'`, [p.order.id])).toBe(2);
    await sendDueRefunds(getDb());
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    expect(await count(`select count(*) n from registrations where order_id = $1 and status = 'confirmed'`, [p.order.id])).toBe(0);
    expect(errorOf(await refund(event.id, p.order.id, { amount: 1 })).code).toBe('REFUND_EXCEEDS_PAID');
    // The database itself refuses a refund beyond the payment, whoever sends the SQL.
    await expect(
      getPool().query(`insert into refunds (order_id, payment_id, amount, reason) select order_id, id, 1, 'organiser' from payments where order_id = $1`, [p.order.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('a crash between the refund commit and the provider call refunds once: the worker asks again with the same key', async () => {
    const { event, p } = await paidOrder();
    const res = await refund(event.id, p.order.id, {});
    const refundId = data<{ refund: { id: string } }>(res).refund.id;
    // The dead process had reached Stripe with its key before dying: Stripe made the refund, we recorded nothing.
    const stripe = new Stripe(SECRET_KEY, { host: new URL(fake.baseUrl).hostname, port: Number(new URL(fake.baseUrl).port), protocol: 'http' });
    await stripe.refunds.create({ payment_intent: `pi_${p.order.id.replaceAll('-', '')}`, amount: 6000, metadata: { refund_id: refundId } }, { idempotencyKey: `refund-${refundId}` });
    await sendDueRefunds(getDb());
    const made = [...fake.refunds.values()].filter((r) => r.metadata.refund_id === refundId);
    expect(made).toHaveLength(1);
    const { rows } = await getPool().query<{ status: string; provider_refund_id: string }>('select status, provider_refund_id from refunds where id = $1', [refundId]);
    expect(rows[0]).toMatchObject({ status: 'succeeded', provider_refund_id: made[0]?.id });
  });

  it('refund.updated settles a pending refund; totals equal the sum of payments and refunds', async () => {
    fake.refundStatus = 'pending';
    const { event, p } = await paidOrder(2500, 1);
    const res = await refund(event.id, p.order.id, { amount: 1000 });
    const refundId = data<{ refund: { id: string } }>(res).refund.id;
    await sendDueRefunds(getDb());
    const providerRefund = [...fake.refunds.values()].find((r) => r.metadata.refund_id === refundId);
    expect((await getPool().query('select status from refunds where id = $1', [refundId])).rows[0]).toEqual({ status: 'pending' });
    const updated = stripeEvent('refund.updated', { ...providerRefund, status: 'succeeded' });
    await deliver(updated);
    await deliver(updated);
    expect((await getPool().query('select status from refunds where id = $1', [refundId])).rows[0]).toEqual({ status: 'succeeded' });
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(1);

    const list = await call(listOrders, 'GET', `/api/events/${event.id}/orders`, { cookie: organiser.cookie, params: { id: event.id } });
    const body = data<{ totals: { paid: number; refunded: number; net: number }; orders: { refunded: number; payments: unknown[]; refunds: unknown[] }[] }>(list);
    const sums = await getPool().query<{ paid: number; refunded: number }>(
      `select (select coalesce(sum(p.amount),0)::int from payments p join orders o on o.id = p.order_id where o.event_id = $1) paid,
              (select coalesce(sum(r.amount),0)::int from refunds r join orders o on o.id = r.order_id where o.event_id = $1 and r.status <> 'failed') refunded`,
      [event.id],
    );
    expect(body.totals).toEqual({ paid: 2500, refunded: 1000, net: 1500, discounts: 0, currency: 'eur' });
    expect(body.totals.paid).toBe(sums.rows[0]?.paid);
    expect(body.totals.refunded).toBe(sums.rows[0]?.refunded);
    expect(body.orders[0]).toMatchObject({ refunded: 1000, payments: [{}], refunds: [{}] });
  });

  it('the database refuses a paid order left with neither its seats nor a refund', async () => {
    const { p } = await paidOrder();
    await expect(
      getPool().query(`update registrations set status = 'cancelled', cancelled_at = now() where order_id = $1`, [p.order.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('the guest cancels: a pending order frees its seats, a paid one is refunded in full', async () => {
    const event = await eventWith(2, [{ name: 'Standard', amount: 2000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const pending = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const c1 = await call(cancelOrder, 'POST', `/api/public/orders/${pending.token}/cancel`, { key: randomUUID(), params: { token: pending.token } });
    expect(data<{ order: Order }>(c1).order.status).toBe('cancelled');
    const paid = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    await deliver(completed(await session(paid.token)));
    const c2 = await call(cancelOrder, 'POST', `/api/public/orders/${paid.token}/cancel`, { key: randomUUID(), params: { token: paid.token } });
    // The refund is under way: the tickets stay valid until Stripe says the money is back.
    expect(data<{ order: Order }>(c2).order).toMatchObject({ status: 'confirmed', refunded: 4000, refundPending: 4000 });
    // Cancelling again asks for nothing more.
    const c3 = await call(cancelOrder, 'POST', `/api/public/orders/${paid.token}/cancel`, { key: randomUUID(), params: { token: paid.token } });
    expect(c3.status, c3.text).toBe(200);
    expect(await count(`select count(*) n from refunds where order_id = $1`, [paid.order.id])).toBe(1);
    await sendDueRefunds(getDb());
    expect(await orderRow(paid.order.id)).toEqual({ status: 'refunded' });
  });

  it('cancelling the event refunds each paid order in full, exactly once', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1200 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const orders = [await placed(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]), await placed(event.slug, [{ ticketTypeId: type.id, quantity: 3 }])];
    for (const o of orders) await deliver(completed(await session(o.token)));
    const pending = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]);
    const cancel = () =>
      call(patchEvent, 'PATCH', `/api/events/${event.id}`, {
        cookie: organiser.cookie,
        key: randomUUID(),
        params: { id: event.id },
        body: { status: 'cancelled' },
        headers: { "if-match": `"${event.version}"` },
      });
    const res = await cancel();
    expect(res.status, res.text).toBe(200);
    await Promise.all([sendDueRefunds(getDb()), sendDueRefunds(getDb())]);
    await sendDueRefunds(getDb());
    for (const o of orders) {
      expect((await orderRow(o.order.id))?.status).toBe('refunded');
      expect([...fake.refunds.values()].filter((r) => r.payment_intent === `pi_${o.order.id.replaceAll('-', '')}`)).toHaveLength(1);
    }
    expect((await orderRow(pending.order.id))?.status).toBe('cancelled');
    expect(await count(`select count(*) n from refunds r join orders o on o.id = r.order_id where o.event_id = $1 and r.status = 'succeeded'`, [event.id])).toBe(2);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_event_cancelled' and event_id = $1`, [event.id])).toBe(2);
    expect(await count(`select count(*) n from outbox_messages where kind = 'event_cancelled' and event_id = $1`, [event.id])).toBe(0);
  });
});

describe('tickets at the door and for integrations', () => {
  it("a confirmed ticket's signed code is on the order, and a cancelled one has none", async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1500 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const pending = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ tickets: unknown[] }>(pending).tickets).toEqual([]);
    await deliver(completed(await session(p.token)));
    // The receipt mail, written when the payment arrived, links to the same order page.
    const { rows: mails } = await getPool().query<{ manage_url: string | null }>(
      `select payload->>'manageUrl' as manage_url from outbox_messages where kind = 'order_confirmed' and payload->'order'->>'number' = $1`,
      [String(p.order.number)],
    );
    expect(mails).toEqual([{ manage_url: p.manageUrl }]);
    const got = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    const tickets = data<{ tickets: { id: string; status: string; code: string | null }[] }>(got).tickets;
    expect(tickets).toHaveLength(2);
    for (const ticket of tickets) {
      expect(ticket.status).toBe('confirmed');
      if (!ticket.code) throw new Error('a confirmed ticket has a code');
      // The door check-in reads it as this ticket of this event, and as nothing for another event.
      expect(await verifyTicketCode(event.id, ticket.code)).toBe(ticket.id);
      expect(await verifyTicketCode(randomUUID(), ticket.code)).toBeNull();
    }
    const refunded = await call(refundOrder, 'POST', `/api/events/${event.id}/orders/${p.order.id}/refund`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, oid: p.order.id },
      body: {},
    });
    expect(refunded.status, refunded.text).toBe(201);
    // Valid until the money is back.
    const meanwhile = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ tickets: { status: string; code: string | null }[] }>(meanwhile).tickets.map((t) => t.status)).toEqual(['confirmed', 'confirmed']);
    await sendDueRefunds(getDb());
    const after = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ tickets: { status: string; code: string | null }[] }>(after).tickets).toEqual([
      expect.objectContaining({ status: 'cancelled', code: null }),
      expect.objectContaining({ status: 'cancelled', code: null }),
    ]);
  });

  it('writes order.paid once under a redelivery storm and order.refunded once the provider refunded, each with the order', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 4000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const endpointId = randomUUID();
    await getPool().query(
      `insert into webhook_endpoints (id, team_id, url, events, secret) values ($1, $2, 'http://127.0.0.1:9/hook', '{order.paid,order.refunded}', 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0')`,
      [endpointId, organiser.id],
    );
    try {
      const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]);
      const paid = completed(await session(p.token));
      await Promise.all([deliver(paid), deliver(paid), deliver(paid)]);
      const refunded = await call(refundOrder, 'POST', `/api/events/${event.id}/orders/${p.order.id}/refund`, {
        cookie: organiser.cookie,
        key: randomUUID(),
        params: { id: event.id, oid: p.order.id },
        body: {},
      });
      expect(refunded.status, refunded.text).toBe(201);
      await sendDueRefunds(getDb());
      await sendDueRefunds(getDb());
      const { rows } = await getPool().query<{ type: string; payload: { data: { order: { id: string; status: string; refunded: number } } } }>(
        // This order's messages (the worker also settles refunds that earlier tests of this organiser left pending).
        `select type, payload from webhook_deliveries where endpoint_id = $1 and payload->'data'->'order'->>'id' = $2 order by created_at, id`,
        [endpointId, p.order.id],
      );
      expect(rows.map((r) => r.type)).toEqual(['order.paid', 'order.refunded']);
      expect(rows[0]?.payload.data.order).toMatchObject({ id: p.order.id, status: 'confirmed', refunded: 0 });
      expect(rows[1]?.payload.data.order).toMatchObject({ id: p.order.id, status: 'refunded', refunded: 4000 });
    } finally {
      await getPool().query('delete from webhook_endpoints where id = $1', [endpointId]);
    }
  });
});

describe('an event that sells tickets', () => {
  it('refuses a free registration (TICKETS_ON_SALE), and the database refuses a seat without an order whoever writes', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1000 }]);
    const res = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'Free rider', email: `free-${randomUUID().slice(0, 8)}@example.com` },
    });
    expect(res.status, res.text).toBe(409);
    expect(errorOf(res).code).toBe('TICKETS_ON_SALE');
    await expect(
      getPool().query(`insert into registrations (event_id, name, email, status, token_hash) values ($1, 'SQL', 'sql@example.com', 'confirmed', $2)`, [
        event.id,
        randomUUID(),
      ]),
    ).rejects.toMatchObject({ code: '23514', constraint: 'registrations_tickets_by_order' });
    expect(await count(`select count(*) n from registrations where event_id = $1`, [event.id])).toBe(0);
    // The seats are still all there for orders.
    expect((await order(event.slug, [{ ticketTypeId: event.types[0]?.id ?? '', quantity: 10 }])).status).toBe(201);
  });
});

// ---- money, seats and keys hold on every path ---------------------------

describe('money paths', () => {
  beforeEach(() => {
    fake.refundPendingForMs = null;
    fake.refundSettlesAs = 'succeeded';
    fake.now = () => Date.now();
  });

  async function paid(capacity: number, amount: number, quantity: number) {
    const event = await eventWith(capacity, [{ name: 'Standard', amount }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity }]);
    await deliver(completed(await session(p.token)));
    const { rows } = await getPool().query<{ id: string }>('select id from registrations where order_id = $1 order by seq', [p.order.id]);
    return { event, type, p, tickets: rows.map((r) => r.id) };
  }

  const cancelTicket = (eventId: string, ticketId: string, key = randomUUID()) =>
    call(cancelAttendeeRoute, 'POST', `/api/events/${eventId}/registrations/${ticketId}/cancel`, { cookie: organiser.cookie, key, params: { id: eventId, rid: ticketId } });
  const confirmedOf = (orderId: string) => count(`select count(*) n from registrations where order_id = $1 and status = 'confirmed'`, [orderId]);
  const seatsTaken = async (eventId: string) => (await getPool().query<{ n: number }>('select confirmed_count n from events where id = $1', [eventId])).rows[0]?.n;
  const refundRows = async (orderId: string) =>
    (await getPool().query<{ id: string; status: string; amount: number; registration_id: string | null }>('select id, status, amount, registration_id from refunds where order_id = $1 order by created_at', [orderId])).rows;

  it('a payment page opened late still pays: the session expires 30 minutes ahead and the hold grows to it, once', async () => {
    // A hold that ends in 29 minutes: Stripe refuses a session expiring then (the stand-in enforces its 30 minutes to 24 hours).
    process.env.HOLD_MINUTES = '29';
    const event = await eventWith(5, [{ name: 'Standard', amount: 1000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]);
    delete process.env.HOLD_MINUTES;
    const opened = await Promise.all([1, 2, 3].map(() => openOrderPayment(getDb(), p.token, ORIGIN)));
    expect(new Set(opened.map((o) => (o?.state === 'redirect' ? o.url : o?.state))).size).toBe(1);
    const sessions = [...fake.sessions.values()].filter((s) => s.client_reference_id === p.order.id);
    expect(sessions).toHaveLength(1);
    const expiresAt = sessions[0]?.expires_at ?? 0;
    expect(expiresAt - Date.now() / 1000).toBeGreaterThanOrEqual(30 * 60);
    const { rows } = await getPool().query<{ hold: Date; extended: Date | null }>('select hold_expires_at hold, hold_extended_at extended from orders where id = $1', [p.order.id]);
    expect(Math.floor((rows[0]?.hold.getTime() ?? 0) / 1000)).toBe(expiresAt);
    expect(rows[0]?.extended).not.toBeNull();
    // Once: the database refuses a second extension, whoever writes.
    await expect(getPool().query(`update orders set hold_expires_at = hold_expires_at + interval '1 minute' where id = $1`, [p.order.id])).rejects.toMatchObject({ code: '23514' });
    // It pays.
    await deliver(completed(sessions[0] as NonNullable<(typeof sessions)[0]>));
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
  });

  it('an organiser cancelling one ticket of a paid order refunds its price, frees its seat when the money is back, and the last ticket refunds the rest', async () => {
    const { event, p, tickets } = await paid(10, 1500, 2);
    const [first, second] = tickets;
    if (!first || !second) throw new Error('two tickets');
    const key = randomUUID();
    const res = await cancelTicket(event.id, first, key);
    expect(res.status, res.text).toBe(200);
    expect(data<{ registration: { status: string }; refund: { amount: number; status: string; ticketId: string } }>(res)).toMatchObject({
      registration: { status: 'confirmed' },
      refund: { amount: 1500, status: 'pending', ticketId: first },
    });
    // A repeat (another key) answers the refund under way: one refund row.
    expect((await cancelTicket(event.id, first)).status).toBe(200);
    expect(await refundRows(p.order.id)).toHaveLength(1);
    expect(await confirmedOf(p.order.id)).toBe(2);
    await sendDueRefunds(getDb());
    expect(await confirmedOf(p.order.id)).toBe(1);
    expect(await seatsTaken(event.id)).toBe(1);
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    // The last ticket: all that is left of the payment, and the order is refunded.
    const last = await cancelTicket(event.id, second);
    expect(data<{ refund: { amount: number } }>(last).refund.amount).toBe(1500);
    await sendDueRefunds(getDb());
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    expect(await confirmedOf(p.order.id)).toBe(0);
    expect((await refundRows(p.order.id)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const refunds = [...fake.refunds.values()].filter((r) => r.payment_intent === `pi_${p.order.id.replaceAll('-', '')}`);
    expect(refunds.map((r) => r.amount)).toEqual([1500, 1500]);
  });

  it('cancelling the one ticket of a paid order refunds the order instead of answering 500', async () => {
    const { event, p, tickets } = await paid(10, 2500, 1);
    const res = await cancelTicket(event.id, tickets[0] ?? '');
    expect(res.status, res.text).toBe(200);
    await sendDueRefunds(getDb());
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    expect(await seatsTaken(event.id)).toBe(0);
  });

  it("the database's refusal of a change answers 409 STATE_CONFLICT, never a 500", async () => {
    const { p } = await paid(10, 1000, 1);
    const handler = route('POST', '/api/test/state-conflict')
      .withoutSession()
      .handle(async () => {
        // A paid ticket cancelled without its money back: orders_paid_keep_seats_or_refund refuses it at commit.
        await getDb().transaction(async (tx) => {
          await tx.execute(sql`update registrations set status = 'cancelled', cancelled_at = now() where order_id = ${p.order.id}`);
        });
        return { status: 200, data: {} };
      });
    const res = await call(handler, 'POST', '/api/test/state-conflict', {});
    expect(res.status, res.text).toBe(409);
    expect(errorOf(res).code).toBe('STATE_CONFLICT');
  });

  it('capacity never drops under confirmed plus held: CAPACITY_BELOW_CONFIRMED with both', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const confirmed = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 3 }]);
    await deliver(completed(await session(confirmed.token)));
    await placed(event.slug, [{ ticketTypeId: type.id, quantity: 4 }]);
    const patch = (maxParticipants: number, version: number) =>
      call(patchEvent, 'PATCH', `/api/events/${event.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id }, body: { maxParticipants }, headers: { 'if-match': `"${version}"` } });
    const lower = await patch(6, event.version);
    expect(lower.status, lower.text).toBe(409);
    expect(errorOf(lower)).toMatchObject({ code: 'CAPACITY_BELOW_CONFIRMED', details: { confirmed: 3, held: 4 } });
    const fits = await patch(7, event.version);
    expect(fits.status, fits.text).toBe(200);
  });

  it('one currency per event: a currency change once the event has an order is CURRENCY_LOCKED', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1000 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const change = (currency: string) =>
      call(patchType, 'PATCH', `/api/events/${event.id}/ticket-types/${type.id}`, {
        cookie: organiser.cookie,
        key: randomUUID(),
        params: { id: event.id, tid: type.id },
        body: { price: { amount: 1000, currency } },
      });
    // Before any order, the event's only type may still change it.
    expect((await change('USD')).status).toBe(200);
    await placed(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]);
    const locked = await change('EUR');
    expect(locked.status, locked.text).toBe(409);
    expect(errorOf(locked).code).toBe('CURRENCY_LOCKED');
    expect((await listTicketTypeRows(getDb(), event.id))[0]?.currency).toBe('usd');
  });

  it('a refund the provider fails keeps the seats, tells the guest nothing was refunded, and a retry (same row, a new key) gives the money back', async () => {
    const { event, p } = await paid(10, 2000, 2);
    fake.refundStatus = 'failed';
    const cancel = await call(cancelOrder, 'POST', `/api/public/orders/${p.token}/cancel`, { key: randomUUID(), params: { token: p.token } });
    expect(cancel.status, cancel.text).toBe(200);
    await sendDueRefunds(getDb());
    const [failed] = await refundRows(p.order.id);
    expect(failed?.status).toBe('failed');
    // Neither seat nor money lost: the tickets are valid, the order is confirmed.
    expect(await confirmedOf(p.order.id)).toBe(2);
    expect((await orderRow(p.order.id))?.status).toBe('confirmed');
    const guest = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ order: Order & { refundFailed: number } }>(guest).order).toMatchObject({ status: 'confirmed', refunded: 0, refundFailed: 4000 });
    const mails = await getPool().query<{ payload: { order: { refundAmount: number } } }>(
      `select payload from outbox_messages where kind = 'order_refund_failed' and payload->'order'->>'number' = $1`,
      [String(p.order.number)],
    );
    expect(mails.rows).toHaveLength(1);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(0);
    // The database refuses the seats taken back while the money did not come back, whoever writes.
    await expect(getPool().query(`update registrations set status = 'cancelled', cancelled_at = now() where order_id = $1`, [p.order.id])).rejects.toMatchObject({ code: '23514' });

    fake.refundStatus = 'succeeded';
    const retry = () =>
      call(retryRefundRoute, 'POST', `/api/events/${event.id}/orders/${p.order.id}/refunds/${failed?.id}/retry`, {
        cookie: organiser.cookie,
        key: randomUUID(),
        params: { id: event.id, oid: p.order.id, rfid: failed?.id ?? '' },
      });
    const retried = await retry();
    expect(retried.status, retried.text).toBe(200);
    expect(data<{ refund: { id: string; status: string } }>(retried).refund).toMatchObject({ id: failed?.id, status: 'pending' });
    await sendDueRefunds(getDb());
    expect(await refundRows(p.order.id)).toEqual([expect.objectContaining({ id: failed?.id, status: 'succeeded' })]);
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    expect(await confirmedOf(p.order.id)).toBe(0);
    const keys = fake.calls.filter((c) => c.path === '/v1/refunds' && c.form.get('metadata[refund_id]') === failed?.id).map((c) => c.idempotencyKey);
    expect(keys).toEqual([`refund-${failed?.id}`, `refund-${failed?.id}-retry-1`]);
    // A retry of a refund that is no longer failed changes nothing.
    expect(data<{ refund: { status: string } }>(await retry()).refund.status).toBe('succeeded');
  });

  it('a refund pending for two minutes is created once and then read back; refund.updated and a duplicate charge.refunded apply once', async () => {
    const { event, p } = await paid(10, 3000, 1);
    fake.refundStatus = 'pending';
    fake.refundPendingForMs = 120_000;
    let clock = Date.now();
    fake.now = () => clock;
    const res = await refund(event.id, p.order.id, {});
    const refundId = data<{ refund: { id: string } }>(res).refund.id;
    // Every minute for three minutes: the worker's rounds, with the clock moved on instead of waited for.
    for (let minute = 0; minute < 4; minute++) {
      await sendDueRefunds(getDb());
      clock += 60_000;
      await getPool().query(`update refunds set next_attempt_at = now() where id = $1 and status = 'pending'`, [refundId]);
    }
    const mine = fake.calls.filter((c) => c.path === '/v1/refunds' || c.path.startsWith('/v1/refunds/'));
    const made = [...fake.refunds.values()].find((r) => r.metadata.refund_id === refundId);
    expect(mine.filter((c) => c.path === '/v1/refunds' && c.form.get('metadata[refund_id]') === refundId)).toHaveLength(1);
    expect(mine.filter((c) => c.path === `/v1/refunds/${made?.id}`).length).toBeGreaterThanOrEqual(2);
    expect((await refundRows(p.order.id))[0]?.status).toBe('succeeded');
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    // Stripe's own events about it arrive afterwards, one of them twice: nothing more happens.
    const charge = stripeEvent('charge.refunded', {
      id: `ch_${p.order.id.slice(0, 8)}`,
      object: 'charge',
      payment_intent: `pi_${p.order.id.replaceAll('-', '')}`,
      amount_refunded: 3000,
      refunds: { object: 'list', data: [{ ...made, status: 'succeeded' }] },
    });
    await Promise.all([deliver(charge), deliver(charge)]);
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(1);
    expect(await count(`select count(*) n from payment_events where provider_event_id = $1`, [charge.id])).toBe(1);
  });

  it('charge.refunded settles a pending refund when it comes first, and refund.updated after it changes nothing', async () => {
    const { event, p } = await paid(10, 3000, 1);
    fake.refundStatus = 'pending';
    const res = await refund(event.id, p.order.id, {});
    const refundId = data<{ refund: { id: string } }>(res).refund.id;
    await sendDueRefunds(getDb());
    const made = [...fake.refunds.values()].find((r) => r.metadata.refund_id === refundId);
    if (!made) throw new Error('no refund at the stand-in');
    fake.settle(made.id, 'succeeded');
    await deliver(stripeEvent('charge.refunded', { id: 'ch_x', object: 'charge', payment_intent: made.payment_intent, amount_refunded: 3000, refunds: { object: 'list', data: [made] } }));
    expect((await refundRows(p.order.id))[0]?.status).toBe('succeeded');
    await deliver(stripeEvent('refund.updated', made));
    expect(await count(`select count(*) n from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`, [String(p.order.number)])).toBe(1);
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
  });

  it('a ticket admitted at the door is not refundable by the guest (ALREADY_ADMITTED); the order page shows the admission; the organiser may still refund', async () => {
    const { event, p, tickets } = await paid(10, 1000, 2);
    const admit = await call(checkInRoute, 'POST', `/api/events/${event.id}/registrations/${tickets[0]}/check-in`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id, rid: tickets[0] ?? '' },
    });
    expect(admit.status, admit.text).toBe(200);
    const cancel = await call(cancelOrder, 'POST', `/api/public/orders/${p.token}/cancel`, { key: randomUUID(), params: { token: p.token } });
    expect(cancel.status, cancel.text).toBe(409);
    expect(errorOf(cancel).code).toBe('ALREADY_ADMITTED');
    expect(await refundRows(p.order.id)).toHaveLength(0);
    const page = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    const shown = data<{ tickets: { id: string; checkedInAt: string | null }[] }>(page).tickets;
    expect(shown.find((t) => t.id === tickets[0])?.checkedInAt).toEqual(expect.any(String));
    expect(shown.find((t) => t.id === tickets[1])?.checkedInAt).toBeNull();
    expect((await refund(event.id, p.order.id, {})).status).toBe(201);
  });

  it('a late asynchronous payment for an event that has started is refunded in full, not confirmed', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 1800 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const p = await placed(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    const s = await session(p.token);
    // The doors opened: the event started while the bank transfer was on its way.
    await getPool().query(`update events set starts_at = now() - interval '5 minutes' where id = $1`, [event.id]);
    await deliver(completed(s, { type: 'checkout.session.async_payment_succeeded' }));
    expect(await confirmedOf(p.order.id)).toBe(0);
    expect((await refundRows(p.order.id)).map((r) => [r.status, r.amount])).toEqual([['pending', 3600]]);
    const guest = await call(getOrder, 'GET', `/api/public/orders/${p.token}`, { params: { token: p.token } });
    expect(data<{ paymentUrl: string | null }>(guest).paymentUrl).toBeNull();
    await sendDueRefunds(getDb());
    expect((await orderRow(p.order.id))?.status).toBe('refunded');
    const mail = await getPool().query<{ payload: { order: { refundReason: string } } }>(
      `select payload from outbox_messages where kind = 'order_refunded' and payload->'order'->>'number' = $1`,
      [String(p.order.number)],
    );
    expect(mail.rows.map((r) => r.payload.order.refundReason)).toEqual(['late_payment_event_started']);
  });
});
