// Buying credits with the local test provider (no STRIPE_SECRET_KEY: the embedded default
// and the tests): a checkout's URL is the app's TEST payment page, whose Pay
// and Cancel complete the checkout through the same inbox as Stripe's webhook.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { POST as testPay } from '@/app/api/billing/checkouts/[id]/test-pay/route';
import { GET as getCheckout } from '@/app/api/billing/checkouts/[id]/route';
import { POST as createCheckout } from '@/app/api/billing/checkout/route';
import { GET as credits } from '@/app/api/credits/route';
import { closeDb, getPool } from '@/lib/db/pool';
import { call, createOrganiser, type Organiser } from './support';

beforeAll(() => {
  delete process.env.STRIPE_SECRET_KEY;
});

afterAll(closeDb);

afterEach(async () => {
  const { rows } = await getPool().query(
    `select a.team_id from credit_accounts a
       left join (select team_id, sum(delta) as total from credit_ledger group by team_id) l using (team_id)
      where a.balance <> coalesce(l.total, 0)`,
  );
  expect(rows).toEqual([]);
});

async function open(organiser: Organiser, packId: string, returnTo?: string) {
  const res = await call(createCheckout, 'POST', '/api/billing/checkout', {
    cookie: organiser.cookie,
    key: randomUUID(),
    body: returnTo ? { packId, returnTo } : { packId },
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as { data: { checkout: { id: string; url: string; status: string } } }).data.checkout;
}

const settle = (organiser: Organiser, id: string, outcome: 'paid' | 'expired', key = randomUUID()) =>
  call(testPay, 'POST', `/api/billing/checkouts/${id}/test-pay`, { cookie: organiser.cookie, key, params: { id }, body: { outcome } });

async function balance(organiser: Organiser): Promise<number> {
  const res = await call(credits, 'GET', '/api/credits', { cookie: organiser.cookie });
  return (res.json as { data: { balance: number } }).data.balance;
}

describe('the local test provider', () => {
  it("opens the app's TEST payment page; Pay grants the pack once, however often it is pressed", async () => {
    const organiser = await createOrganiser();
    const checkout = await open(organiser, 'credits-5', '/events/new');
    const next = encodeURIComponent('/billing?return=%2Fevents%2Fnew');
    expect(checkout).toEqual({ id: checkout.id, url: `http://localhost:3000/billing/test-pay/${checkout.id}?next=${next}`, status: 'open' });
    expect((await open(organiser, 'credits-1')).url).toMatch(/\/billing\/test-pay\/[0-9a-f-]{36}$/);
    const paid = await settle(organiser, checkout.id, 'paid');
    expect(paid.status, paid.text).toBe(200);
    expect(paid.json).toEqual({ success: true, data: { checkout: { id: checkout.id, packId: 'credits-5', credits: 5, status: 'paid' } } });
    const again = await Promise.all([settle(organiser, checkout.id, 'paid'), settle(organiser, checkout.id, 'paid')]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect(await balance(organiser)).toBe(5);
    const ledger = (await call(credits, 'GET', '/api/credits', { cookie: organiser.cookie })).json as {
      data: { ledger: Array<{ reason: string; delta: number; checkoutId: string | null }> };
    };
    expect(ledger.data.ledger).toEqual([expect.objectContaining({ reason: 'purchase', delta: 5, checkoutId: checkout.id })]);
    const { rows } = await getPool().query('select provider, outcome from payment_events where checkout_id = $1', [checkout.id]);
    expect(rows).toEqual([{ provider: 'test', outcome: 'granted' }]);
    // An expiry after payment changes nothing.
    expect((await settle(organiser, checkout.id, 'expired')).json).toMatchObject({ data: { checkout: { status: 'paid' } } });
    expect(await balance(organiser)).toBe(5);
  });

  it('Cancel expires the checkout; a later Pay grants nothing', async () => {
    const organiser = await createOrganiser();
    const checkout = await open(organiser, 'credits-1');
    expect((await settle(organiser, checkout.id, 'expired')).json).toMatchObject({ data: { checkout: { status: 'expired' } } });
    expect((await settle(organiser, checkout.id, 'paid')).json).toMatchObject({ data: { checkout: { status: 'expired' } } });
    expect(await balance(organiser)).toBe(0);
    const view = await call(getCheckout, 'GET', `/api/billing/checkouts/${checkout.id}`, { cookie: organiser.cookie, params: { id: checkout.id } });
    expect(view.json).toMatchObject({ data: { checkout: { status: 'expired' } } });
  });

  it("another organiser cannot pay someone's checkout: 404, nothing granted", async () => {
    const owner = await createOrganiser();
    const other = await createOrganiser();
    const checkout = await open(owner, 'credits-20');
    expect((await settle(other, checkout.id, 'paid')).status).toBe(404);
    expect(await balance(other)).toBe(0);
    expect(await balance(owner)).toBe(0);
  });

  // In production the provider follows the database (provider.ts): off on a real
  // server unless PAYMENTS_TEST_PROVIDER=1, on for the embedded PGlite, which is the
  // two-command demo (`npm test` with no server), never a real deployment.
  const embedded = inject('databaseKind') === 'pglite';
  it(`in production: ${embedded ? 'on for the embedded database' : 'off on a real database unless PAYMENTS_TEST_PROVIDER=1'}`, async () => {
    const organiser = await createOrganiser();
    const checkout = await open(organiser, 'credits-1');
    const env = process.env as Record<string, string | undefined>;
    const saved = env.NODE_ENV;
    env.NODE_ENV = 'production';
    try {
      const asked = await call(createCheckout, 'POST', '/api/billing/checkout', {
        cookie: organiser.cookie,
        key: randomUUID(),
        body: { packId: 'credits-1' },
      });
      if (embedded) {
        expect(asked.status, asked.text).toBe(201);
      } else {
        expect(asked.status).toBe(503);
        expect(asked.json).toMatchObject({ error: { code: 'PAYMENT_PROVIDER_UNAVAILABLE' } });
        expect((await settle(organiser, checkout.id, 'paid')).status).toBe(404);
        process.env.PAYMENTS_TEST_PROVIDER = '1';
      }
      expect((await settle(organiser, checkout.id, 'paid')).status).toBe(200);
    } finally {
      env.NODE_ENV = saved;
      delete process.env.PAYMENTS_TEST_PROVIDER;
    }
    expect(await balance(organiser)).toBe(1);
  });

  it('deleting an organiser who bought credits removes their checkouts and ledger; the inbox keeps the event, unlinked', async () => {
    const organiser = await createOrganiser();
    const checkout = await open(organiser, 'credits-5');
    expect((await settle(organiser, checkout.id, 'paid')).status).toBe(200);
    await getPool().query('delete from auth.users where id = $1', [organiser.id]);
    const left = await getPool().query(
      `select (select count(*)::int from checkouts where team_id = $1) as checkouts,
              (select count(*)::int from credit_ledger where team_id = $1) as ledger,
              (select count(*)::int from payment_events where provider_event_id = $2 and checkout_id is null) as unlinked`,
      [organiser.id, `test_evt_${checkout.id}_paid`],
    );
    expect(left.rows).toEqual([{ checkouts: 0, ledger: 0, unlinked: 1 }]);
  });
});
