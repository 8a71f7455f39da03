// A refund's process is killed (kill -9) after Stripe made the
// refund and before our row recorded it. Another instance's ticket worker
// claims the refund once the lease lapsed and asks Stripe again with the same
// idempotency key (`refund-<id>`): Stripe answers the refund it already made,
// so the guest's money goes back exactly once. Stripe is the SDK pointed at
// the local stand-in; the webhook is signed by the SDK.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeStripeCheckout } from '../integration/fakes/stripe-checkout';
import { eventBody, request, signUp, sleep } from './harness/client';
import { startInstance, type AppInstance } from './harness/instances';
import { METRICS_TOKEN, startScenario, withApplicationName, type Scenario } from './harness/scenario';
import { inject } from 'vitest';

const SECRET_KEY = 'sk_test_reliability_tickets';
const WEBHOOK_SECRET = 'whsec_reliability_tickets';
const fake = new FakeStripeCheckout(SECRET_KEY);

let scenario: Scenario;
let readonly: pg.Pool;
let second: AppInstance | undefined;

const stripeEnv = () => ({ STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_BASE: fake.baseUrl, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, TICKETS_SWEEP_MS: '200', REFUNDS_LEASE_SECONDS: '3', OUTBOX_WORKER: 'off' });

beforeAll(async () => {
  await fake.start();
  scenario = await startScenario('tickets-crash', {
    instances: [{ name: 'doomed', env: { ...stripeEnv(), ENABLE_FAULT_INJECTION: '1', FAULT_DELAY_AFTER_REFUND_MS: '60000' } }],
  });
  readonly = new pg.Pool({ connectionString: scenario.database.url, max: 1, options: '-c default_transaction_read_only=on' });
});

afterAll(async () => {
  await readonly?.end();
  await second?.stop();
  await scenario?.close();
  await fake.stop();
});

it('kill -9 between the provider’s refund and our record of it: one refund at Stripe, recorded once by the next worker', async () => {
  const [doomed] = scenario.instances;
  if (!doomed) throw new Error('one instance expected');
  const host = await signUp(doomed.url, 'Host');
  const created = await request(doomed.url, 'POST', '/api/events', { cookie: host.cookie, key: randomUUID(), body: eventBody({ maxParticipants: 10 }) });
  const event = (created.json as { data: { event: { id: string; slug: string } } }).data.event;
  const type = await request(doomed.url, 'POST', `/api/events/${event.id}/ticket-types`, {
    cookie: host.cookie,
    key: randomUUID(),
    body: { name: 'Standard', price: { amount: 2500, currency: 'EUR' } },
  });
  const typeId = (type.json as { data: { ticketType: { id: string } } }).data.ticketType.id;
  const placed = await request(doomed.url, 'POST', `/api/public/events/${event.slug}/orders`, {
    key: randomUUID(),
    body: { name: 'Guest', email: 'guest@example.com', items: [{ ticketTypeId: typeId, quantity: 2 }] },
  });
  expect(placed.status, placed.text).toBe(201);
  const { order, manageUrl } = (placed.json as { data: { order: { id: string }; manageUrl: string } }).data;
  // The payment page opens the order's one Checkout Session and redirects to it.
  const pay = await fetch(`${doomed.url}${manageUrl}/pay`, { redirect: 'manual' });
  expect([303, 307, 308]).toContain(pay.status);
  const session = [...fake.sessions.values()].find((s) => s.client_reference_id === order.id);
  if (!session) throw new Error('no session at the stand-in');
  const payload = JSON.stringify({
    id: `evt_${randomUUID().replaceAll('-', '')}`,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type: 'checkout.session.completed',
    data: { object: { ...session, status: 'complete', payment_status: 'paid', metadata: { order_id: order.id }, payment_intent: 'pi_reliability_1' } },
  });
  const hook = await request(doomed.url, 'POST', '/api/webhooks/stripe', {
    rawBody: payload,
    headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }), 'content-type': 'application/json' },
  });
  expect(hook.status, hook.text).toBe(200);

  const refunded = await request(doomed.url, 'POST', `/api/events/${event.id}/orders/${order.id}/refund`, { cookie: host.cookie, key: randomUUID(), body: {} });
  expect(refunded.status, refunded.text).toBe(201);
  const refundId = (refunded.json as { data: { refund: { id: string } } }).data.refund.id;

  // Stripe made the refund; the doomed process sits between its answer and our record.
  const deadline = Date.now() + 30_000;
  while (fake.refunds.size === 0 && Date.now() < deadline) await sleep(50);
  expect(fake.refunds.size).toBe(1);
  await doomed.kill9();
  const before = await readonly.query<{ status: string }>('select status from refunds where id = $1', [refundId]);
  expect(before.rows[0]?.status).toBe('pending');

  second = await startInstance(inject('appDir'), {
    name: 'tickets-crash-successor',
    env: { DATABASE_URL: withApplicationName(scenario.database.url), METRICS_TOKEN, LOG_LEVEL: 'silent', ...stripeEnv() },
  });
  let status = 'pending';
  const until = Date.now() + 60_000;
  while (status === 'pending' && Date.now() < until) {
    await sleep(200);
    status = (await readonly.query<{ status: string }>('select status from refunds where id = $1', [refundId])).rows[0]?.status ?? 'missing';
  }
  expect(status).toBe('succeeded');
  expect(fake.refunds.size, 'one refund at Stripe').toBe(1);
  const asked = fake.calls.filter((c) => c.path === '/v1/refunds');
  expect(asked.length).toBeGreaterThanOrEqual(2);
  expect(new Set(asked.map((c) => c.idempotencyKey))).toEqual(new Set([`refund-${refundId}`]));
  const row = await readonly.query<{ provider_refund_id: string }>('select provider_refund_id from refunds where id = $1', [refundId]);
  expect(row.rows[0]?.provider_refund_id).toBe([...fake.refunds.keys()][0]);
  const mails = await readonly.query<{ n: number }>(`select count(*)::int n from outbox_messages where kind = 'order_refunded'`);
  expect(mails.rows[0]?.n).toBe(1);
}, 240_000);
