// Issue 32: a refund storm across two instances. Refunds of several paid
// orders are asked for from both instances at once; the Stripe stand-in
// answers each `pending` for a few seconds, then `succeeded`; afterwards
// Stripe's `charge.refunded` for each arrives twice, at both instances at
// once. Each refund is created at Stripe exactly once (then only read back),
// its seats stay with the guest until Stripe says succeeded, and every
// provider event applies once: one refund mail per order.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeStripeCheckout } from '../integration/fakes/stripe-checkout';
import { eventBody, request, signUp, sleep } from './harness/client';
import { startScenario, type Scenario } from './harness/scenario';

const SECRET_KEY = 'sk_test_reliability_refund_storm';
const WEBHOOK_SECRET = 'whsec_reliability_refund_storm';
const ORDERS = 6;
const fake = new FakeStripeCheckout(SECRET_KEY);

let scenario: Scenario;
let readonly: pg.Pool;

beforeAll(async () => {
  await fake.start();
  fake.refundStatus = 'pending';
  fake.refundPendingForMs = 4_000;
  const env = {
    STRIPE_SECRET_KEY: SECRET_KEY,
    STRIPE_API_BASE: fake.baseUrl,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TICKETS_SWEEP_MS: '200',
    REFUNDS_POLL_SECONDS: '1',
    OUTBOX_WORKER: 'off',
  };
  scenario = await startScenario('refund-storm', { instances: [{ name: 'a', env }, { name: 'b', env }] });
  readonly = new pg.Pool({ connectionString: scenario.database.url, max: 1, options: '-c default_transaction_read_only=on' });
});

afterAll(async () => {
  await readonly?.end();
  await scenario?.close();
  await fake.stop();
});

function signed(type: string, object: Record<string, unknown>) {
  const payload = JSON.stringify({ id: `evt_${randomUUID().replaceAll('-', '')}`, object: 'event', api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), type, data: { object } });
  return { rawBody: payload, headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }), 'content-type': 'application/json' } };
}

const count = async (sql: string, params: unknown[] = []) => (await readonly.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0;

it(`${ORDERS} refunds asked twice from two instances, pending then succeeded, then charge.refunded twice each: one refund each at Stripe, seats kept until it succeeded, one mail each`, async () => {
  const [a, b] = scenario.instances;
  if (!a || !b) throw new Error('two instances expected');
  const at = (i: number) => (i % 2 === 0 ? a.url : b.url);
  const host = await signUp(a.url, 'Host');
  const created = await request(a.url, 'POST', '/api/events', { cookie: host.cookie, key: randomUUID(), body: eventBody({ maxParticipants: 50 }) });
  const event = (created.json as { data: { event: { id: string; slug: string } } }).data.event;
  const type = await request(a.url, 'POST', `/api/events/${event.id}/ticket-types`, { cookie: host.cookie, key: randomUUID(), body: { name: 'Standard', price: { amount: 1200, currency: 'EUR' } } });
  const typeId = (type.json as { data: { ticketType: { id: string } } }).data.ticketType.id;

  const orders: { id: string; paymentIntent: string }[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const placed = await request(at(i), 'POST', `/api/public/events/${event.slug}/orders`, {
      key: randomUUID(),
      body: { name: `Guest ${i}`, email: `guest-${i}@example.com`, items: [{ ticketTypeId: typeId, quantity: 2 }] },
      headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
    });
    expect(placed.status, placed.text).toBe(201);
    const { order, manageUrl } = (placed.json as { data: { order: { id: string }; manageUrl: string } }).data;
    const pay = await fetch(`${at(i)}${manageUrl}/pay`, { redirect: 'manual' });
    expect([303, 307, 308]).toContain(pay.status);
    const session = [...fake.sessions.values()].find((s) => s.client_reference_id === order.id);
    if (!session) throw new Error('no session at the stand-in');
    const paymentIntent = `pi_storm_${i}_${order.id.slice(0, 8)}`;
    const hook = await request(at(i + 1), 'POST', '/api/webhooks/stripe', signed('checkout.session.completed', { ...session, status: 'complete', payment_status: 'paid', metadata: { order_id: order.id }, payment_intent: paymentIntent }));
    expect(hook.status, hook.text).toBe(200);
    orders.push({ id: order.id, paymentIntent });
  }
  expect(await count(`select confirmed_count n from events where id = $1`, [event.id])).toBe(ORDERS * 2);

  // The storm: each order's full refund asked for twice, from both instances at once (two tabs, two organisers).
  const asked = await Promise.all(
    orders.flatMap((order) => [a, b].map((instance) => request(instance.url, 'POST', `/api/events/${event.id}/orders/${order.id}/refund`, { cookie: host.cookie, key: randomUUID(), body: {} }))),
  );
  expect(asked.filter((r) => r.status === 201)).toHaveLength(ORDERS);
  expect(asked.filter((r) => r.status === 409)).toHaveLength(ORDERS);

  // While Stripe says pending, every seat stays with its guest.
  const seatsWhilePending: number[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const pending = await count(`select count(*)::int n from refunds where status = 'pending'`);
    if (pending === ORDERS) seatsWhilePending.push(await count(`select confirmed_count n from events where id = $1`, [event.id]));
    if (pending === 0) break;
    await sleep(100);
  }
  expect(await count(`select count(*)::int n from refunds where status = 'succeeded'`)).toBe(ORDERS);
  expect(seatsWhilePending.length).toBeGreaterThan(0);
  expect(Math.min(...seatsWhilePending)).toBe(ORDERS * 2);

  // Stripe's charge.refunded for each, delivered twice to both instances at once: nothing more happens.
  const hooks = orders.flatMap((order) => {
    const made = [...fake.refunds.values()].find((r) => r.payment_intent === order.paymentIntent);
    const event_ = signed('charge.refunded', { id: `ch_${order.id.slice(0, 8)}`, object: 'charge', payment_intent: order.paymentIntent, amount_refunded: 2400, refunds: { object: 'list', data: [made] } });
    return [a, b, a, b].map((instance) => request(instance.url, 'POST', '/api/webhooks/stripe', event_));
  });
  expect((await Promise.all(hooks)).every((r) => r.status === 200)).toBe(true);

  for (const order of orders) {
    const made = [...fake.refunds.values()].filter((r) => r.payment_intent === order.paymentIntent);
    expect(made, 'one refund at Stripe per order').toHaveLength(1);
    const created = fake.calls.filter((c) => c.path === '/v1/refunds' && c.form.get('payment_intent') === order.paymentIntent);
    expect(created, 'created once, then only read back').toHaveLength(1);
    expect(fake.calls.filter((c) => c.path === `/v1/refunds/${made[0]?.id}`).length).toBeGreaterThanOrEqual(1);
    expect((await readonly.query<{ status: string }>('select status from orders where id = $1', [order.id])).rows[0]?.status).toBe('refunded');
  }
  expect(await count(`select confirmed_count n from events where id = $1`, [event.id])).toBe(0);
  expect(await count(`select count(*)::int n from outbox_messages where kind = 'order_refunded'`)).toBe(ORDERS);
  expect(await count(`select count(*)::int n from payment_events where type = 'charge.refunded'`)).toBe(ORDERS);
}, 240_000);
