// Buying credits, the Stripe path, against the real route handlers and a real
// database: checkouts opened through the official SDK (pointed at a local fake
// of the Checkout Sessions endpoint), and webhooks signed by the SDK's own
// generateTestHeaderString, verified and applied through the inbox.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as getCheckout } from '@/app/api/billing/checkouts/[id]/route';
import { POST as testPay } from '@/app/api/billing/checkouts/[id]/test-pay/route';
import { POST as createCheckout } from '@/app/api/billing/checkout/route';
import { GET as listPacks } from '@/app/api/billing/packs/route';
import { GET as webhookGet, POST as stripeWebhook } from '@/app/api/webhooks/stripe/route';
import { closeDb, getPool } from '@/lib/db/pool';
import { FakeStripeCheckout, sessionEvent } from './fakes/stripe-checkout';
import { call, createOrganiser, type Organiser } from './support';

const SECRET_KEY = 'sk_test_fake_issue15';
const WEBHOOK_SECRET = 'whsec_test_issue15';
const fake = new FakeStripeCheckout(SECRET_KEY);

beforeAll(async () => {
  await fake.serveAsStripe(WEBHOOK_SECRET);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
  await closeDb();
});

// The database's own invariant, checked from outside after every test too.
afterEach(async () => {
  const { rows } = await getPool().query(
    `select a.team_id, a.balance, coalesce(l.total, 0)::int as total
       from credit_accounts a
       left join (select team_id, sum(delta) as total from credit_ledger group by team_id) l using (team_id)
      where a.balance <> coalesce(l.total, 0)`,
  );
  expect(rows).toEqual([]);
});

type CheckoutAnswer = { id: string; url: string; status: string };

async function openCheckout(organiser: Organiser, packId = 'credits-5', key = randomUUID()) {
  return call(createCheckout, 'POST', '/api/billing/checkout', { cookie: organiser.cookie, key, body: { packId } });
}

async function openedCheckout(organiser: Organiser, packId = 'credits-5'): Promise<CheckoutAnswer & { sessionId: string }> {
  const res = await openCheckout(organiser, packId);
  expect(res.status, res.text).toBe(201);
  const checkout = (res.json as { data: { checkout: CheckoutAnswer } }).data.checkout;
  const session = [...fake.sessions.values()].find((s) => s.client_reference_id === checkout.id);
  if (!session) throw new Error('the fake saw no session for the checkout');
  return { ...checkout, sessionId: session.id };
}

function signed(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
}

async function deliver(event: unknown, signature?: string | null) {
  const payload = JSON.stringify(event);
  const headers: Record<string, string> = {};
  const header = signature === undefined ? signed(payload) : signature;
  if (header !== null) headers['stripe-signature'] = header;
  return call(stripeWebhook, 'POST', '/api/webhooks/stripe', { rawBody: payload, headers });
}

async function balanceOf(userId: string): Promise<number> {
  const { rows } = await getPool().query<{ balance: number }>('select balance from credit_accounts where team_id = $1', [userId]);
  return rows[0]?.balance ?? 0;
}

async function statusOf(checkoutId: string): Promise<string | undefined> {
  const { rows } = await getPool().query<{ status: string }>('select status from checkouts where id = $1', [checkoutId]);
  return rows[0]?.status;
}

async function countRows(sql: string, values: unknown[]): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>(sql, values);
  return rows[0]?.n ?? 0;
}

const inboxRows = (eventId: string) => countRows('select count(*)::int as n from payment_events where provider_event_id = $1', [eventId]);
const purchaseRows = (checkoutId: string) =>
  countRows(`select count(*)::int as n from credit_ledger where checkout_id = $1 and reason = 'purchase'`, [checkoutId]);

describe('GET /api/billing/packs', () => {
  it('lists 1, 5 and 20 credits with prices in minor units', async () => {
    const res = await call(listPacks, 'GET', '/api/billing/packs');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true,
      data: {
        packs: [
          { id: 'credits-1', credits: 1, price: { amount: 500, currency: 'eur' } },
          { id: 'credits-5', credits: 5, price: { amount: 2000, currency: 'eur' } },
          { id: 'credits-20', credits: 20, price: { amount: 6000, currency: 'eur' } },
        ],
      },
    });
  });
});

describe('POST /api/billing/checkout through the Stripe SDK', () => {
  it('opens a Checkout Session for our checkout: client_reference_id, price and a Stripe idempotency key of the checkout', async () => {
    const organiser = await createOrganiser();
    const checkout = await openedCheckout(organiser, 'credits-20');
    expect(checkout.status).toBe('open');
    expect(checkout.url).toBe(`https://checkout.stripe.com/c/pay/${checkout.sessionId}`);
    const sent = fake.calls.find((c) => c.form.get('client_reference_id') === checkout.id);
    expect(sent?.idempotencyKey).toBe(`checkout-${checkout.id}`);
    expect(sent?.form.get('mode')).toBe('payment');
    expect(sent?.form.get('line_items[0][price_data][unit_amount]')).toBe('6000');
    expect(sent?.form.get('line_items[0][price_data][currency]')).toBe('eur');
    expect(sent?.form.get('success_url')).toBe(`http://localhost:3000/billing?checkout=${checkout.id}&state=success`);
    const { rows } = await getPool().query('select provider, provider_session_id, credits, amount, currency, status from checkouts where id = $1', [
      checkout.id,
    ]);
    expect(rows).toEqual([
      { provider: 'stripe', provider_session_id: checkout.sessionId, credits: 20, amount: 6000, currency: 'eur', status: 'open' },
    ]);
  });

  it('a replay answers the same checkout and opens no second session; a new key is a new checkout', async () => {
    const organiser = await createOrganiser();
    const key = randomUUID();
    const first = await openCheckout(organiser, 'credits-1', key);
    const calls = fake.calls.length;
    const replay = await openCheckout(organiser, 'credits-1', key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(replay.json).toEqual(first.json);
    expect(fake.calls.length).toBe(calls);
    const second = await openCheckout(organiser, 'credits-1');
    const id = (r: typeof first) => (r.json as { data: { checkout: { id: string } } }).data.checkout.id;
    expect(id(second)).not.toBe(id(first));
    expect(await countRows('select count(*)::int as n from checkouts where team_id = $1', [organiser.id])).toBe(2);
  });

  it('an unknown pack is 404, a missing key 400, a bad body 400, no session 401', async () => {
    const organiser = await createOrganiser();
    expect((await openCheckout(organiser, 'credits-7')).json).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const noKey = await call(createCheckout, 'POST', '/api/billing/checkout', { cookie: organiser.cookie, body: { packId: 'credits-1' } });
    expect(noKey.status).toBe(400);
    expect(noKey.json).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
    const bad = await call(createCheckout, 'POST', '/api/billing/checkout', {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { packId: 'credits-1', credits: 100 },
    });
    expect(bad.status).toBe(400);
    const anonymous = await call(createCheckout, 'POST', '/api/billing/checkout', { key: randomUUID(), body: { packId: 'credits-1' } });
    expect(anonymous.status).toBe(401);
    expect(await countRows('select count(*)::int as n from checkouts where team_id = $1', [organiser.id])).toBe(0);
  });

  it('Stripe failing (after the SDK retries) is 503 PAYMENT_PROVIDER_UNAVAILABLE and leaves no checkout', async () => {
    const organiser = await createOrganiser();
    fake.failNext = 3;
    try {
      const res = await openCheckout(organiser, 'credits-1');
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' } });
    } finally {
      fake.failNext = 0;
    }
    expect(await countRows('select count(*)::int as n from checkouts where team_id = $1', [organiser.id])).toBe(0);
  });

  it('GET /api/billing/checkouts/:id answers the owner, and 404 to anyone else', async () => {
    const owner = await createOrganiser();
    const other = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-5');
    const own = await call(getCheckout, 'GET', `/api/billing/checkouts/${checkout.id}`, { cookie: owner.cookie, params: { id: checkout.id } });
    expect(own.json).toEqual({ success: true, data: { checkout: { id: checkout.id, packId: 'credits-5', credits: 5, status: 'open' } } });
    const foreign = await call(getCheckout, 'GET', `/api/billing/checkouts/${checkout.id}`, { cookie: other.cookie, params: { id: checkout.id } });
    expect(foreign.status).toBe(404);
    const bogus = await call(getCheckout, 'GET', '/api/billing/checkouts/nope', { cookie: owner.cookie, params: { id: 'nope' } });
    expect(bogus.status).toBe(404);
  });

  it('the TEST payment endpoint does not exist for Stripe checkouts', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-1');
    const res = await call(testPay, 'POST', `/api/billing/checkouts/${checkout.id}/test-pay`, {
      cookie: owner.cookie,
      key: randomUUID(),
      params: { id: checkout.id },
      body: { outcome: 'paid' },
    });
    expect(res.status).toBe(404);
    expect(await balanceOf(owner.id)).toBe(0);
  });
});

describe('POST /api/webhooks/stripe', () => {
  it('refuses a bad, foreign, stale or missing signature with 400 INVALID_SIGNATURE and writes nothing', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner);
    const event = sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId });
    const payload = JSON.stringify(event);
    const tampered = JSON.stringify({ ...event, data: { object: { ...event.data.object, amount_total: 1 } } });
    const attempts = [
      await deliver(event, signed(payload, { secret: 'whsec_someone_else' })),
      await deliver(event, signed(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 })),
      await deliver(event, null),
      await deliver(event, 't=1,v1=deadbeef'),
      await call(stripeWebhook, 'POST', '/api/webhooks/stripe', { rawBody: tampered, headers: { 'stripe-signature': signed(payload) } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ success: false, error: { code: 'INVALID_SIGNATURE' } });
    }
    expect(await inboxRows(event.id)).toBe(0);
    expect(await statusOf(checkout.id)).toBe('open');
    expect(await balanceOf(owner.id)).toBe(0);
  });

  it('grants a paid checkout once: the inbox row, the ledger row, the balance and the status commit together', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-5');
    const event = sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, data: { received: true } });
    expect(await balanceOf(owner.id)).toBe(5);
    expect(await statusOf(checkout.id)).toBe('paid');
    expect(await purchaseRows(checkout.id)).toBe(1);
    const { rows } = await getPool().query('select type, outcome, checkout_id from payment_events where provider_event_id = $1', [event.id]);
    expect(rows).toEqual([{ type: 'checkout.session.completed', outcome: 'granted', checkout_id: checkout.id }]);
    const view = await call(getCheckout, 'GET', `/api/billing/checkouts/${checkout.id}`, { cookie: owner.cookie, params: { id: checkout.id } });
    expect(view.json).toMatchObject({ data: { checkout: { status: 'paid' } } });
  });

  it('the same event delivered 10 times at once grants once', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-20');
    const event = sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId, amount: 6000 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await balanceOf(owner.id)).toBe(20);
    expect(await inboxRows(event.id)).toBe(1);
    expect(await purchaseRows(checkout.id)).toBe(1);
  });

  it('ten different paid events for one checkout at once (redeliveries under new ids) still grant once', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-1');
    const events = Array.from({ length: 10 }, () => sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId, amount: 500 }));
    const answers = await Promise.all(events.map((e) => deliver(e)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(await balanceOf(owner.id)).toBe(1);
    expect(await purchaseRows(checkout.id)).toBe(1);
    const { rows } = await getPool().query<{ outcome: string; n: number }>(
      'select outcome, count(*)::int as n from payment_events where checkout_id = $1 group by outcome order by outcome',
      [checkout.id],
    );
    expect(rows).toEqual([
      { outcome: 'already_paid', n: 9 },
      { outcome: 'granted', n: 1 },
    ]);
  });

  it('expired, then completed: stays expired and grants nothing (acknowledged)', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner);
    const expired = sessionEvent({ type: 'checkout.session.expired', checkoutId: checkout.id, sessionId: checkout.sessionId, paymentStatus: 'unpaid' });
    expect((await deliver(expired)).status).toBe(200);
    expect(await statusOf(checkout.id)).toBe('expired');
    const completed = sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId });
    expect((await deliver(completed)).status).toBe(200);
    expect(await statusOf(checkout.id)).toBe('expired');
    expect(await balanceOf(owner.id)).toBe(0);
    const { rows } = await getPool().query('select outcome from payment_events where provider_event_id = $1', [completed.id]);
    expect(rows).toEqual([{ outcome: 'paid_after_expiry' }]);
  });

  it('completed, then expired (reordered): stays paid with its credits', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner);
    expect((await deliver(sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId }))).status).toBe(200);
    const expired = sessionEvent({ type: 'checkout.session.expired', checkoutId: checkout.id, sessionId: checkout.sessionId, paymentStatus: 'unpaid' });
    expect((await deliver(expired)).status).toBe(200);
    expect(await statusOf(checkout.id)).toBe('paid');
    expect(await balanceOf(owner.id)).toBe(5);
  });

  it('the database itself refuses to turn a paid checkout into an expired one, or an expired one into paid', async () => {
    const owner = await createOrganiser();
    const paid = await openedCheckout(owner);
    await deliver(sessionEvent({ checkoutId: paid.id, sessionId: paid.sessionId }));
    await expect(
      getPool().query(`update checkouts set status = 'expired', paid_at = null, expired_at = now() where id = $1`, [paid.id]),
    ).rejects.toMatchObject({ code: '23514' });
    const expired = await openedCheckout(owner);
    await deliver(sessionEvent({ type: 'checkout.session.expired', checkoutId: expired.id, sessionId: expired.sessionId, paymentStatus: 'unpaid' }));
    await expect(
      getPool().query(`update checkouts set status = 'paid', paid_at = now(), expired_at = null where id = $1`, [expired.id]),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(getPool().query('update checkouts set credits = 1000 where id = $1', [paid.id])).rejects.toMatchObject({ code: '23514' });
  });

  it('an event for an unknown checkout (or none) is acknowledged, recorded and grants nothing', async () => {
    const unknown = sessionEvent({ checkoutId: randomUUID(), sessionId: 'cs_test_unknown' });
    expect((await deliver(unknown)).json).toEqual({ success: true, data: { received: true } });
    const notUuid = sessionEvent({ checkoutId: 'order-42', sessionId: 'cs_test_unknown2' });
    expect((await deliver(notUuid)).status).toBe(200);
    const none = sessionEvent({ checkoutId: null, sessionId: 'cs_test_unknown3' });
    expect((await deliver(none)).status).toBe(200);
    const { rows } = await getPool().query<{ outcome: string }>(
      'select outcome from payment_events where provider_event_id = any($1) order by id',
      [[unknown.id, notUuid.id, none.id]],
    );
    expect(rows.map((r) => r.outcome)).toEqual(['unknown_checkout', 'unknown_checkout', 'unknown_checkout']);
    expect(await countRows(`select count(*)::int as n from credit_ledger where reason = 'purchase' and checkout_id is null`, [])).toBe(0);
  });

  it("a paid event for another organiser's checkout grants only to the checkout's owner", async () => {
    const owner = await createOrganiser();
    const payer = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-5');
    // Whoever paid (another customer, other metadata), the credits follow client_reference_id's checkout.
    const event = sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId });
    const withOtherCustomer = { ...event, data: { object: { ...event.data.object, metadata: { user_id: payer.id }, customer_email: payer.email } } };
    expect((await deliver(withOtherCustomer)).status).toBe(200);
    expect(await balanceOf(owner.id)).toBe(5);
    expect(await balanceOf(payer.id)).toBe(0);
    const ledgerOwners = await getPool().query<{ team_id: string }>('select team_id from credit_ledger where checkout_id = $1', [checkout.id]);
    expect(ledgerOwners.rows).toEqual([{ team_id: owner.id }]);
  });

  it('grants nothing for an unpaid completion, another session, or another amount or currency', async () => {
    const owner = await createOrganiser();
    const checkout = await openedCheckout(owner, 'credits-5');
    const cases = [
      sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId, paymentStatus: 'unpaid' }),
      sessionEvent({ checkoutId: checkout.id, sessionId: 'cs_test_someone_elses' }),
      sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId, amount: 1 }),
      sessionEvent({ checkoutId: checkout.id, sessionId: checkout.sessionId, currency: 'usd' }),
    ];
    for (const event of cases) expect((await deliver(event)).status).toBe(200);
    const { rows } = await getPool().query<{ outcome: string }>('select outcome from payment_events where provider_event_id = any($1) order by id', [
      cases.map((c) => c.id),
    ]);
    expect(rows.map((r) => r.outcome)).toEqual(['not_paid', 'mismatch', 'mismatch', 'mismatch']);
    expect(await statusOf(checkout.id)).toBe('open');
    expect(await balanceOf(owner.id)).toBe(0);
    // A later, asynchronous success of the same session still grants.
    const late = sessionEvent({ type: 'checkout.session.async_payment_succeeded', checkoutId: checkout.id, sessionId: checkout.sessionId });
    expect((await deliver(late)).status).toBe(200);
    expect(await balanceOf(owner.id)).toBe(5);
  });

  it('acknowledges and ignores event types it does not handle', async () => {
    const event = { ...sessionEvent({ checkoutId: null, sessionId: 'x' }), type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } };
    const res = await deliver(event);
    expect(res.json).toEqual({ success: true, data: { received: true } });
    const { rows } = await getPool().query('select outcome from payment_events where provider_event_id = $1', [event.id]);
    expect(rows).toEqual([{ outcome: 'ignored' }]);
  });

  it('answers other methods with 405, and needs no session, Origin or Idempotency-Key', async () => {
    const res = await call(stripeWebhook, 'POST', '/api/webhooks/stripe', { rawBody: '{}', headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    const get = await call(webhookGet, 'GET', '/api/webhooks/stripe');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
