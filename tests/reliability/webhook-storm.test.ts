// Issue 15: a webhook redelivery storm across two instances. Stripe delivers
// at least once, from several machines, in any order; every copy of a paid
// checkout's event, sent at once to two `next start` instances, grants its
// credits exactly once, and balance = ledger sum holds throughout.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkouts, creditAccounts } from '@/lib/db/schema';
import { FakeStripeCheckout, sessionEvent } from '../integration/fakes/stripe-checkout';
import { request, signUp } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { startScenario, type Scenario } from './harness/scenario';

const SECRET_KEY = 'sk_test_storm';
const WEBHOOK_SECRET = 'whsec_test_storm';
const COPIES_PER_INSTANCE = 15;

describe('a webhook redelivery storm across two instances', () => {
  const fake = new FakeStripeCheckout(SECRET_KEY);
  let scenario: Scenario;

  beforeAll(async () => {
    await fake.start();
    const env = { STRIPE_SECRET_KEY: SECRET_KEY, STRIPE_API_BASE: fake.baseUrl, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
    scenario = await startScenario('storm', { instances: [{ name: 'a', env }, { name: 'b', env }] });
  });
  afterAll(async () => {
    await scenario?.close();
    await fake.stop();
  });

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

    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.userId, buyer.id));
    expect(account?.balance).toBe(15);
    const purchases = await db.execute<{ n: number }>(sql`select count(*)::int as n from credit_ledger where user_id = ${buyer.id} and reason = 'purchase'`);
    expect(purchases.rows[0]?.n).toBe(3);
    const statuses = await db.select({ status: checkouts.status }).from(checkouts).where(eq(checkouts.userId, buyer.id));
    expect(statuses.map((s) => s.status)).toEqual(['paid', 'paid', 'paid']);
    expect(await checkInvariants(db)).toEqual(CLEAN);
  });
});
