// Discount and access codes (issue 35), against the real route handlers, a
// real database and the Stripe stand-in: a use is one ticket; uses are taken
// under the event's lock and counted from live rows, so of concurrent orders
// exactly maxUses tickets get the discount, and an expired hold, a cancelled
// order or a refunded ticket gives its use back exactly once. The money:
// Checkout lines are the charged amounts, refunds never exceed them, a 100 %
// code makes a free order, revenue per code equals the sum of its orders.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as listCodesRoute, POST as createCodeRoute } from '@/app/api/events/[id]/codes/route';
import { DELETE as deleteCodeRoute, PATCH as patchCodeRoute } from '@/app/api/events/[id]/codes/[cid]/route';
import { POST as bulkRoute } from '@/app/api/events/[id]/codes/bulk/route';
import { GET as codesCsvRoute } from '@/app/api/events/[id]/codes.csv/route';
import { GET as listOrders } from '@/app/api/events/[id]/orders/route';
import { POST as cancelAttendeeRoute } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { POST as createType } from '@/app/api/events/[id]/ticket-types/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as getPublicEvent } from '@/app/api/public/events/[slug]/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { POST as cancelOrder } from '@/app/api/public/orders/[token]/cancel/route';
import { POST as stripeWebhook } from '@/app/api/webhooks/stripe/route';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { openOrderPayment } from '@/lib/tickets/payments';
import { sendDueRefunds } from '@/lib/tickets/refund-worker';
import { runTicketRound } from '@/lib/tickets/worker';
import { validEventBody } from '../support/event-body';
import { FakeStripeCheckout, stripeEvent } from './fakes/stripe-checkout';
import { buildRequest, call, createOrganiser, ORIGIN, type Organiser } from './support';

const SECRET_KEY = 'sk_test_fake_issue35';
const WEBHOOK_SECRET = 'whsec_test_issue35';
const fake = new FakeStripeCheckout(SECRET_KEY);

beforeAll(async () => {
  await fake.serveAsStripe(WEBHOOK_SECRET);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
  await closeDb();
});

afterEach(async () => {
  setClock(undefined);
  const pool = getPool();
  // A code's confirmed tickets never exceed its uses; refunds never exceed a payment.
  const over = await pool.query(
    `select c.id from discount_codes c
      where c.max_uses is not null and c.max_uses < (
        select count(*) from registrations r join order_items i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
         where i.code_id = c.id and r.status = 'confirmed')`,
  );
  expect(over.rows).toEqual([]);
  const refunded = await pool.query(
    `select p.id from payments p join refunds r on r.payment_id = p.id and r.status <> 'failed' group by p.id, p.amount having sum(r.amount) > p.amount`,
  );
  expect(refunded.rows).toEqual([]);
});

type Json = Record<string, unknown> | null;
const data = <T>(res: { json: Json }): T => (res.json as { data: T }).data;
const errorOf = (res: { json: Json }) => (res.json as { error: { code: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> } }).error;

type Money = { amount: number; currency: string };
type Code = { id: string; code: string; used: number; held: number; remaining: number | null; revenue: number; status: string };
type Item = { ticketTypeId: string; quantity: number; unitPrice: Money; discount: Money; amount: Money };
type Order = { id: string; number: number; status: string; total: Money; code: string | null; items: Item[] };
type Placed = { order: Order; paymentUrl: string | null; manageUrl: string };

let organiser: Organiser;

async function eventWith(capacity: number, types: { name: string; amount: number; hidden?: boolean }[]) {
  organiser ??= await createOrganiser();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: capacity }) });
  expect(res.status, res.text).toBe(201);
  const event = data<{ event: { id: string; slug: string } }>(res).event;
  const ids: string[] = [];
  for (const type of types) {
    const body = { name: type.name, price: { amount: type.amount, currency: 'EUR' }, ...(type.hidden && { hidden: true }) };
    const t = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, { cookie: organiser.cookie, key: randomUUID(), body, params: { id: event.id } });
    expect(t.status, t.text).toBe(201);
    ids.push(data<{ ticketType: { id: string } }>(t).ticketType.id);
  }
  return { ...event, typeIds: ids };
}

function createCode(eventId: string, body: unknown, cookie = organiser.cookie) {
  return call(createCodeRoute, 'POST', `/api/events/${eventId}/codes`, { cookie, key: randomUUID(), params: { id: eventId }, body });
}

async function madeCode(eventId: string, body: unknown): Promise<Code> {
  const res = await createCode(eventId, body);
  expect(res.status, res.text).toBe(201);
  return data<{ code: Code }>(res).code;
}

async function codesOf(eventId: string): Promise<Code[]> {
  const res = await call(listCodesRoute, 'GET', `/api/events/${eventId}/codes`, { cookie: organiser.cookie, params: { id: eventId } });
  expect(res.status, res.text).toBe(200);
  return data<{ codes: Code[] }>(res).codes;
}

async function usesOf(eventId: string, id: string): Promise<{ used: number; held: number }> {
  const code = (await codesOf(eventId)).find((c) => c.id === id);
  if (!code) throw new Error('no code');
  return { used: code.used, held: code.held };
}

function order(slug: string, items: { ticketTypeId: string; quantity: number }[], code?: string, address?: string) {
  return call(postOrder, 'POST', `/api/public/events/${slug}/orders`, {
    key: randomUUID(),
    params: { slug },
    body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items, ...(code !== undefined && { code }) },
    headers: { 'x-forwarded-for': address ?? `10.35.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
  });
}

async function placed(slug: string, items: { ticketTypeId: string; quantity: number }[], code?: string): Promise<Placed & { token: string }> {
  const res = await order(slug, items, code);
  expect(res.status, res.text).toBe(201);
  const p = data<Placed>(res);
  return { ...p, token: p.manageUrl.slice('/o/'.length) };
}

async function session(token: string) {
  const opened = await openOrderPayment(getDb(), token, ORIGIN);
  const url = opened?.state === 'redirect' ? opened.url : '';
  const found = [...fake.sessions.values()].find((s) => s.url === url);
  if (!found) throw new Error('no session at the stand-in');
  return found;
}

function completed(s: { id: string; client_reference_id: string | null; amount_total: number; currency: string }) {
  return stripeEvent('checkout.session.completed', {
    id: s.id,
    object: 'checkout.session',
    client_reference_id: s.client_reference_id,
    metadata: { order_id: s.client_reference_id },
    payment_status: 'paid',
    status: 'complete',
    amount_total: s.amount_total,
    currency: s.currency,
    payment_intent: `pi_${s.client_reference_id?.replaceAll('-', '')}`,
    mode: 'payment',
  });
}

async function deliver(event: unknown) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const res = await call(stripeWebhook, 'POST', '/api/webhooks/stripe', { rawBody: payload, headers: { 'stripe-signature': signature } });
  expect(res.status, res.text).toBe(200);
}

async function pay(p: { token: string }) {
  await deliver(completed(await session(p.token)));
}

async function orderStatus(id: string): Promise<string | undefined> {
  const { rows } = await getPool().query<{ status: string }>('select status from orders where id = $1', [id]);
  return rows[0]?.status;
}

function publicEvent(slug: string, code?: string) {
  const query = code === undefined ? '' : `?code=${encodeURIComponent(code)}`;
  return call(getPublicEvent, 'GET', `/api/public/events/${slug}${query}`, { params: { slug } });
}

describe('the organiser manages codes', () => {
  it('creates (matched without regard to case), refuses a taken code, lists, changes, disables and deletes only unused ones', async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 2000 }]);
    const code = await madeCode(event.id, { code: ' early-bird ', discount: { percent: 20 }, maxUses: 5 });
    expect(code).toMatchObject({ code: 'EARLY-BIRD', used: 0, held: 0, remaining: 5, status: 'active', revenue: 0 });
    const taken = await createCode(event.id, { code: 'Early-Bird', discount: { percent: 10 } });
    expect(taken.status).toBe(409);
    expect(errorOf(taken).code).toBe('CODE_TAKEN');
    const bad = await createCode(event.id, { code: 'a!', discount: { percent: 120 } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).fieldErrors).toMatchObject({ code: ['Use 3 to 32 letters, digits, - or _.'], 'discount.percent': ['Enter a whole percent from 1 to 100.'] });
    const nothing = await createCode(event.id, { code: 'NOTHING' });
    expect(errorOf(nothing).fieldErrors).toMatchObject({ discount: ['Give the code a discount or a hidden ticket type to unlock.'] });
    const foreign = await createOrganiser();
    expect((await createCode(event.id, { code: 'MINE', discount: { percent: 5 } }, foreign.cookie)).status).toBe(404);

    // Three of the five uses held: the limit may not drop below them.
    await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 3 }], 'early-bird');
    const patch = (body: unknown) =>
      call(patchCodeRoute, 'PATCH', `/api/events/${event.id}/codes/${code.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id, cid: code.id }, body });
    const below = await patch({ maxUses: 2 });
    expect(below.status).toBe(409);
    expect(errorOf(below)).toMatchObject({ code: 'CODE_USES_BELOW_TAKEN', details: { used: 0, held: 3 } });
    expect(data<{ code: Code }>(await patch({ maxUses: 3 })).code).toMatchObject({ remaining: 0, held: 3 });
    expect(data<{ code: Code }>(await patch({ status: 'disabled' })).code.status).toBe('disabled');

    const remove = (id: string) => call(deleteCodeRoute, 'DELETE', `/api/events/${event.id}/codes/${id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id, cid: id } });
    const inUse = await remove(code.id);
    expect(inUse.status).toBe(409);
    expect(errorOf(inUse).code).toBe('CODE_IN_USE');
    const unused = await madeCode(event.id, { code: 'UNUSED', discount: { amount: { amount: 500, currency: 'EUR' } } });
    expect((await remove(unused.id)).status).toBe(204);
    expect((await codesOf(event.id)).map((c) => c.code)).toEqual(['EARLY-BIRD']);
  });

  it('bulk-creates N single-use codes with a prefix, and downloads them as CSV', async () => {
    const event = await eventWith(30, [{ name: 'Student', amount: 1000 }]);
    const res = await call(bulkRoute, 'POST', `/api/events/${event.id}/codes/bulk`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id },
      body: { prefix: 'school', count: 300, discount: { percent: 50 } },
    });
    expect(res.status, res.text).toBe(201);
    const codes = data<{ codes: Code[] }>(res).codes;
    expect(codes).toHaveLength(300);
    expect(new Set(codes.map((c) => c.code)).size).toBe(300);
    for (const c of codes) expect(c).toMatchObject({ code: expect.stringMatching(/^SCHOOL-[A-Z0-9]{8}$/), remaining: 1 });
    const csv = await codesCsvRoute(buildRequest('GET', `/api/events/${event.id}/codes.csv`, { cookie: organiser.cookie }), { params: Promise.resolve({ id: event.id }) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('code,discount_percent,discount_amount,currency,max_uses,used,held,remaining,valid_from,valid_until,status,revenue');
    expect(lines).toHaveLength(301);
    // A single-use code: a second ticket with it is refused, nothing held.
    const one = codes[0]?.code ?? '';
    const two = await order(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 2 }], one);
    expect(two.status).toBe(409);
    expect(errorOf(two)).toMatchObject({ code: 'CODE_EXHAUSTED', details: { remaining: 1 } });
    expect((await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 1 }], one)).order.total.amount).toBe(500);
  });
});

describe('the guest applies a code', () => {
  it('the public page shows discounted prices and the hidden types the code unlocks; says why a code cannot be used', async () => {
    const event = await eventWith(30, [
      { name: 'Standard', amount: 2000 },
      { name: 'Crew', amount: 1000, hidden: true },
    ]);
    const [standard, crew] = event.typeIds;
    await madeCode(event.id, { code: 'CREW', unlocks: [crew], discount: { amount: { amount: 300, currency: 'eur' } }, ticketTypeIds: [standard] });
    const plain = data<{ ticketTypes: { id: string }[]; code?: unknown }>(await publicEvent(event.slug));
    expect(plain.ticketTypes.map((t) => t.id)).toEqual([standard]);
    expect(plain.code).toBeUndefined();
    const withCode = data<{ ticketTypes: { id: string; price: Money; discountedPrice: Money | null }[]; code: unknown }>(await publicEvent(event.slug, 'crew'));
    expect(withCode.code).toMatchObject({ valid: true, code: 'CREW', discount: { amount: { amount: 300, currency: 'eur' } } });
    expect(withCode.ticketTypes).toEqual([
      expect.objectContaining({ id: standard, price: { amount: 2000, currency: 'eur' }, discountedPrice: { amount: 1700, currency: 'eur' } }),
      expect.objectContaining({ id: crew, price: { amount: 1000, currency: 'eur' }, discountedPrice: null }),
    ]);
    // A hidden type is not for sale without its code.
    const hidden = await order(event.slug, [{ ticketTypeId: crew ?? '', quantity: 1 }]);
    expect(hidden.status).toBe(400);
    const unlocked = await placed(event.slug, [{ ticketTypeId: crew ?? '', quantity: 1 }], 'CREW');
    expect(unlocked.order).toMatchObject({ code: 'CREW', total: { amount: 1000 } });

    await madeCode(event.id, { code: 'LATER', discount: { percent: 10 }, validFrom: new Date(Date.now() + 86_400_000).toISOString() });
    await madeCode(event.id, { code: 'PAST', discount: { percent: 10 }, validUntil: new Date(Date.now() - 60_000).toISOString() });
    await madeCode(event.id, { code: 'ONE', discount: { percent: 10 }, maxUses: 1 });
    await placed(event.slug, [{ ticketTypeId: standard ?? '', quantity: 1 }], 'one');
    for (const [typed, reason] of [
      ['NOPE', 'unknown'],
      ['x', 'unknown'],
      ['later', 'not_yet_valid'],
      ['past', 'expired'],
      ['one', 'exhausted'],
    ] as const) {
      const res = await publicEvent(event.slug, typed);
      expect(res.status, typed).toBe(200);
      expect(data<{ code: unknown }>(res).code, typed).toMatchObject({ valid: false, reason });
    }
    const expired = await order(event.slug, [{ ticketTypeId: standard ?? '', quantity: 1 }], 'past');
    expect(expired.status).toBe(400);
    expect(errorOf(expired).fieldErrors).toEqual({ code: ['This code has expired.'] });
  });

  it("an order's items carry price, discount and charged amount; the Checkout lines are the charged amounts; order.paid's order carries the code", async () => {
    const event = await eventWith(30, [
      { name: 'Standard', amount: 2500 },
      { name: 'VIP', amount: 9999 },
    ]);
    const [standard, vip] = event.typeIds;
    await madeCode(event.id, { code: 'THIRD', discount: { percent: 33 }, ticketTypeIds: [standard] });
    const p = await placed(
      event.slug,
      [
        { ticketTypeId: standard ?? '', quantity: 2 },
        { ticketTypeId: vip ?? '', quantity: 1 },
      ],
      'third',
    );
    expect(p.order.code).toBe('THIRD');
    expect(p.order.items).toEqual([
      expect.objectContaining({ ticketTypeId: standard, quantity: 2, unitPrice: { amount: 2500, currency: 'eur' }, discount: { amount: 1650, currency: 'eur' }, amount: { amount: 3350, currency: 'eur' } }),
      expect.objectContaining({ ticketTypeId: vip, quantity: 1, discount: { amount: 0, currency: 'eur' }, amount: { amount: 9999, currency: 'eur' } }),
    ]);
    expect(p.order.total.amount).toBe(3350 + 9999);
    const s = await session(p.token);
    expect(s.amount_total).toBe(13349);
    const call = fake.calls.filter((c) => c.path === '/v1/checkout/sessions').at(-1);
    expect(call?.form.get('line_items[0][price_data][unit_amount]')).toBe('1675');
    expect(call?.form.get('line_items[1][price_data][unit_amount]')).toBe('9999');
    const endpointId = randomUUID();
    await getPool().query(
      `insert into webhook_endpoints (id, team_id, url, events, secret) values ($1, $2, 'http://127.0.0.1:9/hook', '{order.paid}', 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0')`,
      [endpointId, organiser.id],
    );
    try {
      await deliver(completed(s));
      const { rows } = await getPool().query<{ payload: { data: { order: Order } } }>(
        `select payload from webhook_deliveries where endpoint_id = $1 and type = 'order.paid' and payload->'data'->'order'->>'id' = $2`,
        [endpointId, p.order.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.payload.data.order).toMatchObject({ code: 'THIRD', total: { amount: 13349 }, items: [{ discount: { amount: 1650 } }, { discount: { amount: 0 } }] });
    } finally {
      await getPool().query('delete from webhook_endpoints where id = $1', [endpointId]);
    }
    expect(await orderStatus(p.order.id)).toBe('confirmed');
    const list = data<{ orders: Order[]; totals: { paid: number; discounts: number } }>(
      await callOrders(event.id),
    );
    expect(list.totals).toMatchObject({ paid: 13349, discounts: 1650 });
    expect(list.orders[0]?.code).toBe('THIRD');
    const mail = await getPool().query<{ payload: { order: { code?: string; items: { unitDiscount?: number }[] } } }>(
      `select payload from outbox_messages where kind = 'order_confirmed' and payload->'order'->>'number' = $1`,
      [String(p.order.number)],
    );
    expect(mail.rows[0]?.payload.order).toMatchObject({ code: 'THIRD', items: [{ unitDiscount: 825 }, {}] });
  });

  it('a 100 % code makes a free order: confirmed at once, no payment', async () => {
    const event = await eventWith(10, [{ name: 'Standard', amount: 4000 }]);
    const code = await madeCode(event.id, { code: 'FREE100', discount: { percent: 100 }, maxUses: 2 });
    const p = await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 2 }], 'free100');
    expect(p.order).toMatchObject({ status: 'confirmed', total: { amount: 0 } });
    expect(p.paymentUrl).toBeNull();
    expect(await usesOf(event.id, code.id)).toEqual({ used: 2, held: 0 });
    const { rows } = await getPool().query('select 1 from payments where order_id = $1', [p.order.id]);
    expect(rows).toHaveLength(0);
    expect((await order(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 1 }], 'FREE100')).status).toBe(409);
  });
});

async function callOrders(eventId: string) {
  const res = await call(listOrders, 'GET', `/api/events/${eventId}/orders`, { cookie: organiser.cookie, params: { id: eventId } });
  expect(res.status, res.text).toBe(200);
  return res;
}

describe('exact limits', () => {
  it('40 concurrent orders race for a 10-use code: exactly 10 discounted tickets, the rest CODE_EXHAUSTED and nothing held', async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 2000 }]);
    const code = await madeCode(event.id, { code: 'RACE10', discount: { percent: 50 }, maxUses: 10 });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => order(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 1 + (i % 2) }], 'race10', `10.35.${i}.9`)),
    );
    const ok = answers.filter((a) => a.status === 201).map((a) => data<Placed>(a).order);
    const discounted = ok.reduce((n, o) => n + (o.items[0]?.quantity ?? 0), 0);
    expect(discounted).toBe(10);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(409);
      expect(errorOf(refused).code).toBe('CODE_EXHAUSTED');
    }
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 10 });
    const { rows } = await getPool().query<{ n: number }>(
      `select coalesce(sum(i.quantity), 0)::int n from order_items i join orders o on o.id = i.order_id where o.event_id = $1`,
      [event.id],
    );
    expect(rows[0]?.n).toBe(10);
  });

  it('a use comes back exactly once: on expiry (swept or not), on cancellation before payment, on refund-and-cancel of the ticket', async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 3000 }]);
    const code = await madeCode(event.id, { code: 'BACK', discount: { amount: { amount: 1000, currency: 'eur' } }, maxUses: 4 });
    const type = event.typeIds[0] ?? '';
    // Expiry: a hold placed 31 minutes ago by the one clock counts for nothing, before and after the sweep.
    setClock(manualClock(Date.now() - 31 * 60_000));
    const lapsed = await placed(event.slug, [{ ticketTypeId: type, quantity: 2 }], 'back');
    setClock(undefined);
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 0 });
    await runTicketRound(getDb());
    await runTicketRound(getDb());
    expect(await orderStatus(lapsed.order.id)).toBe('expired');
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 0 });

    // Cancellation before payment, twice.
    const pending = await placed(event.slug, [{ ticketTypeId: type, quantity: 2 }], 'back');
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 2 });
    for (let i = 0; i < 2; i += 1) {
      const res = await call(cancelOrder, 'POST', `/api/public/orders/${pending.token}/cancel`, { key: randomUUID(), params: { token: pending.token } });
      expect(res.status, res.text).toBe(200);
    }
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 0 });

    // Paid, then one ticket refunded and cancelled by the organiser: its use comes back when the money does, once.
    const bought = await placed(event.slug, [{ ticketTypeId: type, quantity: 2 }], 'back');
    await pay(bought);
    expect(await usesOf(event.id, code.id)).toEqual({ used: 2, held: 0 });
    const { rows } = await getPool().query<{ id: string }>('select id from registrations where order_id = $1 order by seq', [bought.order.id]);
    const ticket = rows[0]?.id ?? '';
    const cancelTicket = () =>
      call(cancelAttendeeRoute, 'POST', `/api/events/${event.id}/registrations/${ticket}/cancel`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id, rid: ticket } });
    const first = await cancelTicket();
    // The ticket's refund is what was charged for it: 3000 less 1000.
    expect(data<{ refund: { amount: number } }>(first).refund.amount).toBe(2000);
    expect(await usesOf(event.id, code.id)).toEqual({ used: 2, held: 0 });
    await sendDueRefunds(getDb());
    await cancelTicket();
    await sendDueRefunds(getDb());
    expect(await usesOf(event.id, code.id)).toEqual({ used: 1, held: 0 });
    // Three uses are left, exactly: 3 tickets fit, a fourth does not.
    expect(errorOf(await order(event.slug, [{ ticketTypeId: type, quantity: 4 }], 'back'))).toMatchObject({ code: 'CODE_EXHAUSTED', details: { remaining: 3 } });
    await placed(event.slug, [{ ticketTypeId: type, quantity: 3 }], 'back');
  });

  it('a late payment whose code was used up meanwhile is refunded in full, its tickets never issued', async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 2000 }]);
    const code = await madeCode(event.id, { code: 'LATE', discount: { percent: 25 }, maxUses: 2 });
    setClock(manualClock(Date.now() - 31 * 60_000));
    const lapsed = await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 2 }], 'late');
    setClock(undefined);
    // Its uses went to another guest while its hold was over.
    await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 2 }], 'late');
    const unstored = { id: `cs_test_unstored_${lapsed.order.id.slice(0, 8)}`, client_reference_id: lapsed.order.id, amount_total: lapsed.order.total.amount, currency: 'eur' };
    await deliver(completed(unstored));
    expect(['expired', 'cancelled']).toContain(await orderStatus(lapsed.order.id));
    const { rows } = await getPool().query<{ amount: number; reason: string }>('select amount, reason from refunds where order_id = $1', [lapsed.order.id]);
    expect(rows).toEqual([{ amount: 3000, reason: 'late_payment_no_seats' }]);
    expect(await usesOf(event.id, code.id)).toEqual({ used: 0, held: 2 });
  });

  it('the database refuses confirmed tickets beyond max_uses, whoever sends the SQL', async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 1000 }]);
    const code = await madeCode(event.id, { code: 'RAW', discount: { percent: 100 }, maxUses: 2 });
    await placed(event.slug, [{ ticketTypeId: event.typeIds[0] ?? '', quantity: 2 }], 'raw');
    const pool = getPool();
    await expect(pool.query('update discount_codes set max_uses = 1 where id = $1', [code.id])).rejects.toMatchObject({ code: '23514' });
    // A third confirmed ticket with the code, written by hand: refused at commit.
    const client = await pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string }>(
        `insert into orders (event_id, status, name, email, token_hash, currency, total_amount, hold_expires_at, confirmed_at, code_id)
         values ($1, 'confirmed', 'Raw', 'raw@example.com', $2, 'eur', 0, now(), now(), $3) returning id`,
        [event.id, `raw-${randomUUID()}`, code.id],
      );
      const orderId = rows[0]?.id;
      await client.query('insert into order_items (order_id, ticket_type_id, quantity, unit_amount, unit_discount, code_id) values ($1, $2, 1, 1000, 1000, $3)', [
        orderId,
        event.typeIds[0],
        code.id,
      ]);
      await client.query(`insert into registrations (event_id, name, email, status, order_id, ticket_type_id, token_hash) values ($1, 'Raw', 'raw@example.com', 'confirmed', $2, $3, $4)`, [
        event.id,
        orderId,
        event.typeIds[0],
        `raw-${randomUUID()}`,
      ]);
      await expect(client.query('commit')).rejects.toMatchObject({ code: '23514' });
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
    expect(await usesOf(event.id, code.id)).toEqual({ used: 2, held: 0 });
  });
});

describe('money', () => {
  it("each code's revenue, computed from payments, equals the sum of its orders; a guest's refund is what was paid", async () => {
    const event = await eventWith(30, [{ name: 'Standard', amount: 2000 }]);
    const a = await madeCode(event.id, { code: 'REV-A', discount: { percent: 10 } });
    const b = await madeCode(event.id, { code: 'REV-B', discount: { amount: { amount: 750, currency: 'eur' } } });
    const type = event.typeIds[0] ?? '';
    const orders = [
      await placed(event.slug, [{ ticketTypeId: type, quantity: 2 }], 'rev-a'),
      await placed(event.slug, [{ ticketTypeId: type, quantity: 1 }], 'rev-a'),
      await placed(event.slug, [{ ticketTypeId: type, quantity: 3 }], 'rev-b'),
      await placed(event.slug, [{ ticketTypeId: type, quantity: 1 }]),
    ];
    for (const o of orders) await pay(o);
    // The guest of the second REV-A order cancels: all of what was paid (1800) comes back.
    const second = orders[1];
    if (!second) throw new Error('no order');
    const cancelled = await call(cancelOrder, 'POST', `/api/public/orders/${second.token}/cancel`, { key: randomUUID(), params: { token: second.token } });
    expect(cancelled.status, cancelled.text).toBe(200);
    await sendDueRefunds(getDb());
    const { rows } = await getPool().query<{ amount: number }>('select amount from refunds where order_id = $1', [second.order.id]);
    expect(rows).toEqual([{ amount: 1800 }]);

    const codes = await codesOf(event.id);
    const list = data<{ orders: (Order & { refunded: number })[] }>(await callOrders(event.id)).orders;
    const sumOf = (code: string) => list.filter((o) => o.code === code).reduce((n, o) => n + o.total.amount - o.refunded, 0);
    expect(codes.find((c) => c.id === a.id)?.revenue).toBe(sumOf('REV-A'));
    expect(codes.find((c) => c.id === b.id)?.revenue).toBe(sumOf('REV-B'));
    expect(sumOf('REV-A')).toBe(3600);
    expect(sumOf('REV-B')).toBe(3750);
  });
});
