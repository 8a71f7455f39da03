// A webhook redelivery storm across two instances. Stripe delivers
// at least once, from several machines, in any order; every copy of a paid
// checkout's event, sent at once to two `next start` instances, grants its
// credits exactly once, and balance = ledger sum holds throughout.
//
// On the same two instances: a refund storm. Refunds of several
// paid orders are asked for from both instances at once; the stand-in answers
// each `pending` for a few seconds, then `succeeded`; afterwards Stripe's
// `charge.refunded` for each arrives twice at both instances at once. Each
// refund is created at Stripe exactly once (then only read back), its seats
// stay with the guest until Stripe says succeeded, and every provider event
// applies once: one refund mail per order.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkouts, creditAccounts } from '@/lib/db/schema';
import { FakeStripeCheckout, sessionEvent, stripeEvent } from '../integration/fakes/stripe-checkout';
import { eventBody, request, signUp, sleep } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { startScenario, type Scenario } from './harness/scenario';

const SECRET_KEY = 'sk_test_storm';
const WEBHOOK_SECRET = 'whsec_test_storm';
const COPIES_PER_INSTANCE = 15;
const ORDERS = 6;

describe('a webhook redelivery storm across two instances', () => {
  const fake = new FakeStripeCheckout(SECRET_KEY);
  let scenario: Scenario;
  let readonly: pg.Pool;

  beforeAll(async () => {
    await fake.start();
    const env = {
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_API_BASE: fake.baseUrl,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // The refund storm: the ticket worker's rounds, and a pending refund read back every second.
      TICKETS_SWEEP_MS: '200',
      REFUNDS_POLL_SECONDS: '1',
      OUTBOX_WORKER: 'off',
    };
    scenario = await startScenario('storm', { instances: [{ name: 'a', env }, { name: 'b', env }] });
    readonly = new pg.Pool({ connectionString: scenario.database.url, max: 1, options: '-c default_transaction_read_only=on' });
  });
  afterAll(async () => {
    await readonly?.end();
    await scenario?.close();
    await fake.stop();
  });

  function signed(type: string, object: Record<string, unknown>) {
    const payload = JSON.stringify(stripeEvent(type, object));
    return { rawBody: payload, headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }), 'content-type': 'application/json' } };
  }

  const count = async (text: string, params: unknown[] = []) => (await readonly.query<{ n: number }>(text, params)).rows[0]?.n ?? 0;

  const completed = (eventId: string, checkoutId: string, sessionId: string, type = 'checkout.session.completed') =>
    JSON.stringify(
      sessionEvent({ id: eventId, type, checkoutId, sessionId, sessionStatus: type === 'checkout.session.expired' ? 'expired' : 'complete' }),
    );

  const deliver = (baseUrl: string, payload: string) =>
    request(baseUrl, 'POST', '/api/webhooks/stripe', {
      rawBody: payload,
      headers: { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
    });

  it('grants each paid checkout once, whatever arrives twice, on which instance, in which order', async () => {
    const [a, b] = scenario.instances;
    if (!a || !b) throw new Error('two instances expected');
    const db = scenario.database.db;
    const buyer = await signUp(a.url, 'Storm');

    // Three checkouts of 5 credits, opened on either instance.
    const opened = [];
    for (const [i, instance] of [a, b, a].entries()) {
      const res = await request(instance.url, 'POST', '/api/billing/checkout', {
        cookie: buyer.cookie,
        key: randomUUID(),
        body: { packId: 'credits-5' },
      });
      expect(res.status, `checkout ${i}: ${res.text}`).toBe(201);
      const checkout = (res.json as { data: { checkout: { id: string } } }).data.checkout;
      const session = [...fake.sessions.values()].find((s) => s.client_reference_id === checkout.id);
      if (!session) throw new Error('the fake saw no session for the checkout');
      opened.push({ checkoutId: checkout.id, sessionId: session.id });
    }

    // For each: the same event id many times on both instances, plus a second
    // event id for the same payment, and an expiry arriving late, all at once.
    const deliveries = opened.flatMap(({ checkoutId, sessionId }) => {
      const paid = completed(`evt_${randomUUID().replaceAll('-', '')}`, checkoutId, sessionId);
      const again = completed(`evt_${randomUUID().replaceAll('-', '')}`, checkoutId, sessionId);
      const expired = completed(`evt_${randomUUID().replaceAll('-', '')}`, checkoutId, sessionId, 'checkout.session.expired');
      return [
        ...Array.from({ length: COPIES_PER_INSTANCE }, () => [deliver(a.url, paid), deliver(b.url, paid)]).flat(),
        deliver(a.url, again),
        deliver(b.url, expired),
      ];
    });
    const answers = await Promise.all(deliveries);
    expect(answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`)).toEqual([]);

    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.teamId, buyer.id));
    expect(account?.balance).toBe(15);
    const purchases = await db.execute<{ n: number }>(sql`select count(*)::int as n from credit_ledger where team_id = ${buyer.id} and reason = 'purchase'`);
    expect(purchases.rows[0]?.n).toBe(3);
    const statuses = await db.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.teamId, buyer.id));
    expect(statuses.map((s) => s.status)).toEqual(['paid', 'paid', 'paid']);
    expect(await checkInvariants(db)).toEqual(CLEAN);
  });

  it(`${ORDERS} refunds asked twice from two instances, pending then succeeded, then charge.refunded twice each: one refund each at Stripe, seats kept until it succeeded, one mail each`, async () => {
    const [a, b] = scenario.instances;
    if (!a || !b) throw new Error('two instances expected');
    fake.refundStatus = 'pending';
    fake.refundPendingForMs = 4_000;
    const at = (i: number) => (i % 2 === 0 ? a.url : b.url);
    const host = await signUp(a.url, 'Host');
    const created = await request(a.url, 'POST', '/api/events', { cookie: host.cookie, key: randomUUID(), body: eventBody({ maxParticipants: 30 }) });
    expect(created.status, created.text).toBe(201);
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
      // One statement, one snapshot: a refund that succeeds between two reads would free seats the first read called pending.
      const seen = await readonly.query<{ pending: number; seats: number }>(
        `select (select count(*)::int from refunds r join orders o on o.id = r.order_id where o.event_id = $1 and r.status = 'pending') pending,
                (select confirmed_count from events where id = $1) seats`,
        [event.id],
      );
      const pending = seen.rows[0]?.pending ?? 0;
      if (pending === ORDERS) seatsWhilePending.push(seen.rows[0]?.seats ?? -1);
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
});
