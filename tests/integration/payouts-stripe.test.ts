// Organiser payouts (Stripe Connect), against the real route handlers, a real
// database and the official SDK pointed at the local stand-in
// (fakes/stripe-checkout.ts), which enforces what Stripe enforces and keeps
// its own ledger of destination charges, application fees and their refunds:
// the team's totals must equal that ledger.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as listOrders } from '@/app/api/events/[id]/orders/route';
import { POST as refundOrder } from '@/app/api/events/[id]/orders/[oid]/refund/route';
import { POST as createType } from '@/app/api/events/[id]/ticket-types/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as getPublicEvent } from '@/app/api/public/events/[slug]/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { GET as getPayouts } from '@/app/api/teams/[tid]/payouts/route';
import { GET as getPayoutsCsv } from '@/app/api/teams/[tid]/payouts.csv/route';
import { POST as openAccount } from '@/app/api/teams/[tid]/payouts/account/route';
import { POST as stripeWebhook } from '@/app/api/webhooks/stripe/route';
import { POST as connectWebhook } from '@/app/api/webhooks/stripe-connect/route';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { openOrderPayment } from '@/lib/tickets/payments';
import { sendDueRefunds } from '@/lib/tickets/refund-worker';
import type { PayoutsView } from '@/lib/payouts/schemas';
import { validEventBody } from '../support/event-body';
import { FakeStripeCheckout, stripeEvent } from './fakes/stripe-checkout';
import { buildRequest, call, createOrganiser, ORIGIN, type Organiser } from './support';

const SECRET_KEY = 'sk_test_fake_issue38';
const WEBHOOK_SECRET = 'whsec_test_issue38_platform';
const CONNECT_SECRET = 'whsec_test_issue38_connect';
const fake = new FakeStripeCheckout(SECRET_KEY);

beforeAll(async () => {
  await fake.serveAsStripe(WEBHOOK_SECRET, { STRIPE_CONNECT_WEBHOOK_SECRET: CONNECT_SECRET, STRIPE_CONNECT: '1' });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.stop();
  await closeDb();
});

// The fee invariants, from outside, after every test.
afterEach(async () => {
  const over = await getPool().query(
    `select o.id from orders o join refunds r on r.order_id = o.id and r.status <> 'failed' group by o.id, o.fee_amount having sum(r.fee_amount) > o.fee_amount`,
  );
  expect(over.rows).toEqual([]);
});

type Json = Record<string, unknown> | null;
const data = <T>(res: { json: Json }): T => (res.json as { data: T }).data;
const errorOf = (res: { json: Json }) => (res.json as { error: { code: string; details?: Record<string, unknown> } }).error;

type Placed = { order: { id: string; status: string; total: { amount: number; currency: string } }; paymentUrl: string | null; manageUrl: string };

async function eventOf(organiser: Organiser, types: { name: string; amount: number }[]) {
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: 30 }) });
  expect(res.status, res.text).toBe(201);
  const event = data<{ event: { id: string; slug: string } }>(res).event;
  const created: { id: string }[] = [];
  for (const type of types) {
    const t = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { name: type.name, price: { amount: type.amount, currency: 'EUR' } },
      params: { id: event.id },
    });
    expect(t.status, t.text).toBe(201);
    created.push(data<{ ticketType: { id: string } }>(t).ticketType);
  }
  return { ...event, types: created };
}

function order(slug: string, items: { ticketTypeId: string; quantity: number }[]) {
  return call(postOrder, 'POST', `/api/public/events/${slug}/orders`, {
    key: randomUUID(),
    params: { slug },
    body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items },
    headers: { 'x-forwarded-for': `10.38.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
  });
}

function signed(handler: typeof stripeWebhook, path: string, secret: string, event: unknown) {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return call(handler, 'POST', path, { rawBody: payload, headers: { 'stripe-signature': signature } });
}
const deliverPlatform = (event: unknown) => signed(stripeWebhook, '/api/webhooks/stripe', WEBHOOK_SECRET, event);
const deliverConnect = (event: unknown) => signed(connectWebhook, '/api/webhooks/stripe-connect', CONNECT_SECRET, event);

/** `account.updated` from the connected account, as Stripe sends it to the Connect endpoint, at `created` (seconds). */
function accountUpdated(accountId: string, created: number, state: { charges: boolean; payouts: boolean; due?: string[] }, id = `evt_${randomUUID().replaceAll('-', '')}`) {
  const account = fake.accounts.get(accountId);
  return {
    ...stripeEvent(
      'account.updated',
      {
        ...account,
        id: accountId,
        object: 'account',
        charges_enabled: state.charges,
        payouts_enabled: state.payouts,
        details_submitted: state.charges,
        requirements: { currently_due: state.due ?? [] },
      },
      id,
    ),
    created,
    account: accountId,
  };
}

async function open(organiser: Organiser, tid = organiser.id) {
  return call(openAccount, 'POST', `/api/teams/${tid}/payouts/account`, { cookie: organiser.cookie, key: randomUUID(), params: { tid } });
}

async function payouts(organiser: Organiser): Promise<PayoutsView> {
  const res = await call(getPayouts, 'GET', `/api/teams/${organiser.id}/payouts`, { cookie: organiser.cookie, params: { tid: organiser.id } });
  expect(res.status, res.text).toBe(200);
  return data<PayoutsView>(res);
}

/** A team whose connected account is onboarded (account.updated delivered to the Connect endpoint). */
async function onboardedTeam(): Promise<{ organiser: Organiser; accountId: string }> {
  const organiser = await createOrganiser();
  const opened = await open(organiser);
  expect(opened.status, opened.text).toBe(201);
  const accountId = data<{ account: { id: string } }>(opened).account.id;
  fake.onboard(accountId);
  const res = await deliverConnect(accountUpdated(accountId, Math.floor(Date.now() / 1000), { charges: true, payouts: true }));
  expect(res.status, res.text).toBe(200);
  return { organiser, accountId };
}

/** Places an order, opens its session through the SDK, pays it at the stand-in and delivers the platform's webhook. */
async function paidOrder(slug: string, items: { ticketTypeId: string; quantity: number }[]) {
  const res = await order(slug, items);
  expect(res.status, res.text).toBe(201);
  const placed = data<Placed>(res);
  const opened = await openOrderPayment(getDb(), placed.manageUrl.slice('/o/'.length), ORIGIN);
  const url = opened?.state === 'redirect' ? opened.url : '';
  const session = [...fake.sessions.values()].find((s) => s.url === url);
  if (!session) throw new Error('no session at the stand-in');
  const paid = fake.pay(session.id);
  const delivered = await deliverPlatform(
    stripeEvent('checkout.session.completed', {
      id: paid.id,
      object: 'checkout.session',
      client_reference_id: paid.client_reference_id,
      metadata: paid.metadata,
      payment_status: 'paid',
      status: 'complete',
      amount_total: paid.amount_total,
      currency: paid.currency,
      payment_intent: paid.payment_intent,
      mode: 'payment',
    }),
  );
  expect(delivered.status, delivered.text).toBe(200);
  return { order: placed.order, session: paid };
}

function refund(organiser: Organiser, eventId: string, orderId: string, amount?: number) {
  return call(refundOrder, 'POST', `/api/events/${eventId}/orders/${orderId}/refund`, {
    cookie: organiser.cookie,
    key: randomUUID(),
    params: { id: eventId, oid: orderId },
    body: amount === undefined ? {} : { amount },
  });
}

/** The stand-in's ledger of the account's destination charges: what the team's totals must equal. */
function ledgerOf(accountId: string) {
  const charges = [...fake.payments.values()].filter((p) => p.destination === accountId);
  const gross = charges.reduce((n, p) => n + p.amount, 0);
  const refunded = charges.reduce((n, p) => n + p.refunded, 0);
  const fees = charges.reduce((n, p) => n + p.applicationFee - p.feeRefunded, 0);
  return { gross, fees, refunded, net: gross - fees - refunded };
}

describe('off sale until the account can take charges', () => {
  it('shows paid types off sale (free ones on sale) and refuses a paid order with PAYMENTS_NOT_READY until account.updated enables charges', async () => {
    const organiser = await createOrganiser();
    const event = await eventOf(organiser, [
      { name: 'Paid', amount: 2000 },
      { name: 'Free', amount: 0 },
    ]);
    const [paidType, freeType] = event.types;
    if (!paidType || !freeType) throw new Error('no types');
    const pub = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect(data<{ ticketTypes: { onSale: boolean }[] }>(pub).ticketTypes.map((t) => t.onSale)).toEqual([false, true]);
    const refused = await order(event.slug, [{ ticketTypeId: paidType.id, quantity: 1 }]);
    expect(refused.status).toBe(409);
    expect(errorOf(refused).code).toBe('PAYMENTS_NOT_READY');
    const free = await order(event.slug, [{ ticketTypeId: freeType.id, quantity: 1 }]);
    expect(free.status, free.text).toBe(201);

    // The account exists but cannot charge yet: still off sale.
    const opened = await open(organiser);
    const accountId = data<{ account: { id: string } }>(opened).account.id;
    expect((await order(event.slug, [{ ticketTypeId: paidType.id, quantity: 1 }])).status).toBe(409);
    fake.onboard(accountId);
    await deliverConnect(accountUpdated(accountId, Math.floor(Date.now() / 1000), { charges: true, payouts: false }));
    const after = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect(data<{ ticketTypes: { onSale: boolean }[] }>(after).ticketTypes.map((t) => t.onSale)).toEqual([true, true]);
    expect((await order(event.slug, [{ ticketTypeId: paidType.id, quantity: 1 }])).status).toBe(201);
  });
});

describe('the connected account', () => {
  it('is one per team, ever: repeated and concurrent requests get the same account, with the key derived from the team', async () => {
    const organiser = await createOrganiser();
    const before = fake.accounts.size;
    const answers = await Promise.all([open(organiser), open(organiser), open(organiser)]);
    for (const answer of answers) expect(answer.status, answer.text).toBe(201);
    const ids = new Set(answers.map((a) => data<{ account: { id: string } }>(a).account.id));
    expect(ids.size).toBe(1);
    expect(fake.accounts.size).toBe(before + 1);
    const creations = fake.calls.filter((c) => c.path === '/v1/accounts' && c.form.get('metadata[team_id]') === organiser.id);
    expect(new Set(creations.map((c) => c.idempotencyKey))).toEqual(new Set([`connect-account-${organiser.id}`]));
    expect(creations.every((c) => c.form.get('type') === 'express')).toBe(true);
    // One audit entry, by the owner, for the one account.
    const audited = await getPool().query<{ actor_id: string; target_id: string }>(`select actor_id, target_id from audit_log where team_id = $1 and action = 'payouts.account_created'`, [organiser.id]);
    expect(audited.rows).toEqual([{ actor_id: organiser.id, target_id: [...ids][0] }]);
    const first = data<{ account: { chargesEnabled: boolean; requirements: string[] }; onboardingUrl: string }>(answers[0] ?? { json: null });
    expect(first.account.chargesEnabled).toBe(false);
    expect(first.account.requirements.length).toBeGreaterThan(0);
    expect(first.onboardingUrl).toMatch(/^https:\/\/connect\.stripe\.com\/setup\//);
    const links = fake.calls.filter((c) => c.path === '/v1/account_links' && ids.has(c.form.get('account') ?? ''));
    expect(links[0]?.form.get('return_url')).toBe(`${ORIGIN}/payouts?onboarding=return`);
    expect(links[0]?.form.get('type')).toBe('account_onboarding');

    // Another organiser's team is not theirs.
    const other = await createOrganiser();
    expect((await open(other, organiser.id)).status).toBe(404);
    expect((await call(getPayouts, 'GET', `/api/teams/${organiser.id}/payouts`, { cookie: other.cookie, params: { tid: organiser.id } })).status).toBe(404);
  });

  it('follows account.updated in the order of its created time: an older one redelivered late changes nothing', async () => {
    const organiser = await createOrganiser();
    const opened = await open(organiser);
    const accountId = data<{ account: { id: string } }>(opened).account.id;
    const t = Math.floor(Date.now() / 1000);
    const older = accountUpdated(accountId, t - 60, { charges: false, payouts: false, due: ['external_account'] });
    const newer = accountUpdated(accountId, t, { charges: true, payouts: true });
    expect((await deliverConnect(newer)).status).toBe(200);
    expect((await payouts(organiser)).account).toMatchObject({ id: accountId, chargesEnabled: true, payoutsEnabled: true, requirements: [] });
    // The older event arrives now, then the newer is redelivered: nothing moves.
    expect((await deliverConnect(older)).status).toBe(200);
    expect((await deliverConnect(newer)).status).toBe(200);
    expect((await payouts(organiser)).account).toMatchObject({ chargesEnabled: true, payoutsEnabled: true, requirements: [] });
    const { rows } = await getPool().query<{ outcome: string }>(
      `select outcome from payment_events where account = $1 order by id`,
      [accountId],
    );
    expect(rows.map((r) => r.outcome)).toEqual(['account_updated', 'account_stale']);
    // A later state (Stripe asks for more) applies.
    await deliverConnect(accountUpdated(accountId, t + 5, { charges: false, payouts: false, due: ['individual.verification.document'] }));
    expect((await payouts(organiser)).account).toMatchObject({ chargesEnabled: false, requirements: ['individual.verification.document'] });
  });

  it('tells a platform event and a connected account event with the same id apart; the Connect endpoint takes only its own secret', async () => {
    const organiser = await createOrganiser();
    const opened = await open(organiser);
    const accountId = data<{ account: { id: string } }>(opened).account.id;
    const id = `evt_${randomUUID().replaceAll('-', '')}`;
    const fromAccount = accountUpdated(accountId, Math.floor(Date.now() / 1000), { charges: true, payouts: true }, id);
    const fromPlatform = stripeEvent('checkout.session.expired', { id: 'cs_test_unknown', object: 'checkout.session', client_reference_id: null, payment_status: 'unpaid', status: 'expired', amount_total: 100, currency: 'eur', mode: 'payment' }, id);
    expect((await deliverPlatform(fromPlatform)).status).toBe(200);
    expect((await deliverConnect(fromAccount)).status).toBe(200);
    const { rows } = await getPool().query<{ account: string; outcome: string }>(`select account, outcome from payment_events where provider_event_id = $1 order by id`, [id]);
    expect(rows).toEqual([
      { account: '', outcome: 'unknown_checkout' },
      { account: accountId, outcome: 'account_updated' },
    ]);
    // Signed with the platform's secret, the Connect endpoint refuses it (and the reverse).
    const wrong = await signed(connectWebhook, '/api/webhooks/stripe-connect', WEBHOOK_SECRET, accountUpdated(accountId, Math.floor(Date.now() / 1000) + 9, { charges: false, payouts: false }));
    expect(wrong.status).toBe(400);
    expect(errorOf(wrong).code).toBe('INVALID_SIGNATURE');
    expect((await payouts(organiser)).account?.chargesEnabled).toBe(true);
  });
});

describe('destination charges, refunds and totals', () => {
  it("sends the money to the team's account with the plan's fee frozen on the order, reverses the transfer on refunds, and the totals equal the provider's ledger", async () => {
    const { organiser, accountId } = await onboardedTeam();
    const event = await eventOf(organiser, [
      { name: 'Standard', amount: 2000 },
      { name: 'VIP', amount: 4550 },
    ]);
    const [standard, vip] = event.types;
    if (!standard || !vip) throw new Error('no types');
    // free plan: 5 % of 8550 = 427.5 → 428, + 50 × 3 tickets = 578
    const first = await paidOrder(event.slug, [
      { ticketTypeId: standard.id, quantity: 2 },
      { ticketTypeId: vip.id, quantity: 1 },
    ]);
    expect(first.session.transfer_destination).toBe(accountId);
    expect(first.session.application_fee_amount).toBe(578);
    const second = await paidOrder(event.slug, [{ ticketTypeId: standard.id, quantity: 1 }]);
    expect(second.session.application_fee_amount).toBe(150); // 100 + 50

    // The organiser's order shows the fee.
    const listed = await call(listOrders, 'GET', `/api/events/${event.id}/orders`, { cookie: organiser.cookie, params: { id: event.id } });
    const orders = data<{ orders: { id: string; fee: number; status: string }[] }>(listed).orders;
    expect(orders.find((o) => o.id === first.order.id)).toMatchObject({ fee: 578, status: 'confirmed' });

    // A partial refund and a full one, sent by the refund worker.
    expect((await refund(organiser, event.id, first.order.id, 3333)).status).toBe(201);
    expect((await refund(organiser, event.id, second.order.id)).status).toBe(201);
    await sendDueRefunds(getDb());
    const sent = fake.calls.filter((c) => c.path === '/v1/refunds' && (c.form.get('payment_intent') === first.session.payment_intent || c.form.get('payment_intent') === second.session.payment_intent));
    expect(sent).toHaveLength(2);
    for (const call of sent) {
      expect(call.form.get('reverse_transfer')).toBe('true');
      expect(call.form.get('refund_application_fee')).toBe('true');
    }
    const { rows } = await getPool().query<{ order_id: string; amount: number; fee_amount: number; status: string }>(
      `select order_id, amount, fee_amount, status from refunds where order_id = any($1) order by amount`,
      [[first.order.id, second.order.id]],
    );
    // ⌊578 × 3333 ÷ 8550⌋ = 225; the full refund gives back all of its fee.
    expect(rows).toEqual([
      { order_id: second.order.id, amount: 2000, fee_amount: 150, status: 'succeeded' },
      { order_id: first.order.id, amount: 3333, fee_amount: 225, status: 'succeeded' },
    ]);

    // Totals: database facts, equal to the stand-in's ledger.
    const view = await payouts(organiser);
    const ledger = ledgerOf(accountId);
    expect(view.totals).toEqual({ ...ledger, currency: 'eur' });
    expect(view.totals).toEqual({ gross: 10550, fees: 578 - 225, refunded: 5333, net: 10550 - 353 - 5333, currency: 'eur' });
    expect(view.events).toEqual([{ eventId: event.id, title: expect.any(String), currency: 'eur', ...ledger }]);

    // The CSV: one row per payment and refund, summing to the same.
    const csv = await getPayoutsCsv(buildRequest('GET', `/api/teams/${organiser.id}/payouts.csv`, { cookie: organiser.cookie }), { params: Promise.resolve({ tid: organiser.id }) });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...lines] = (await csv.text()).trim().split('\r\n');
    const columns = (header ?? '').split(',');
    const cells = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
    expect(cells.map((c) => c.kind).sort()).toEqual(['payment', 'payment', 'refund', 'refund']);
    const sum = (key: string) => cells.reduce((n, c) => n + Number(c[key]), 0);
    expect({ gross: sum('gross'), fees: sum('fee'), refunded: sum('refunded'), net: sum('net') }).toEqual(ledger);
  });

  it('a refund storm: many concurrent partial refunds never give back more than the fee, and the last one gives back exactly the rest', async () => {
    const { organiser, accountId } = await onboardedTeam();
    const event = await eventOf(organiser, [{ name: 'Standard', amount: 9999 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const paid = await paidOrder(event.slug, [{ ticketTypeId: type.id, quantity: 3 }]);
    const fee = paid.session.application_fee_amount ?? 0;
    expect(fee).toBe(1500 + 150); // 5 % of 29997 = 1499.85 → 1500, + 3 × 50
    const answers = await Promise.all(Array.from({ length: 24 }, () => refund(organiser, event.id, paid.order.id, 777)));
    const made = answers.filter((a) => a.status === 201);
    expect(made.length + answers.filter((a) => a.status === 409).length).toBe(24);
    await sendDueRefunds(getDb(), 50);
    const partial = await getPool().query<{ fees: string; amount: string }>(`select sum(fee_amount) fees, sum(amount) amount from refunds where order_id = $1`, [paid.order.id]);
    expect(Number(partial.rows[0]?.fees)).toBeLessThanOrEqual(fee);
    // The rest of the money: the fee comes back whole, to the unit.
    expect((await refund(organiser, event.id, paid.order.id)).status).toBe(201);
    await sendDueRefunds(getDb(), 50);
    const all = await getPool().query<{ fees: string; amount: string }>(`select sum(fee_amount) fees, sum(amount) amount from refunds where order_id = $1 and status = 'succeeded'`, [paid.order.id]);
    expect(Number(all.rows[0]?.amount)).toBe(29997);
    expect(Number(all.rows[0]?.fees)).toBe(fee);
    const charge = fake.payments.get(paid.session.payment_intent);
    expect(charge).toMatchObject({ refunded: 29997, feeRefunded: fee });
    const view = await payouts(organiser);
    expect(view.totals).toEqual({ ...ledgerOf(accountId), currency: 'eur' });
    expect(view.totals).toMatchObject({ gross: 29997, fees: 0, refunded: 29997, net: 0 });
  });
});

describe('roles and plans', () => {
  it('finance reads the payouts and the CSV, only the owner manages them, a manager sees none of it', async () => {
    const { organiser } = await onboardedTeam();
    const finance = await createOrganiser();
    const manager = await createOrganiser();
    await getPool().query(`insert into team_members (team_id, user_id, role) values ($1, $2, 'finance'), ($1, $3, 'manager')`, [organiser.id, finance.id, manager.id]);
    const as = (who: Organiser) => call(getPayouts, 'GET', `/api/teams/${organiser.id}/payouts`, { cookie: who.cookie, params: { tid: organiser.id } });
    expect((await as(finance)).status).toBe(200);
    const csv = await getPayoutsCsv(buildRequest('GET', `/api/teams/${organiser.id}/payouts.csv`, { cookie: finance.cookie }), { params: Promise.resolve({ tid: organiser.id }) });
    expect(csv.status).toBe(200);
    const refused = await call(openAccount, 'POST', `/api/teams/${organiser.id}/payouts/account`, { cookie: finance.cookie, key: randomUUID(), params: { tid: organiser.id } });
    expect(refused.status).toBe(403);
    expect(errorOf(refused).code).toBe('FORBIDDEN_FOR_ROLE');
    expect((await as(manager)).status).toBe(403);
  });

  it("takes the team's plan's fee: pro is 2 % + 30 per paid ticket", async () => {
    const { organiser, accountId } = await onboardedTeam();
    await getPool().query(`update teams set plan = 'pro' where id = $1`, [organiser.id]);
    const event = await eventOf(organiser, [{ name: 'Standard', amount: 1250 }]);
    const type = event.types[0];
    if (!type) throw new Error('no type');
    const paid = await paidOrder(event.slug, [{ ticketTypeId: type.id, quantity: 2 }]);
    // 2 % of 2500 = 50, + 2 × 30
    expect(paid.session).toMatchObject({ transfer_destination: accountId, application_fee_amount: 110 });
  });
});

describe('without Connect', () => {
  it('sells through the deployment’s own account as before: no destination, no fee, on sale without an account', async () => {
    delete process.env.STRIPE_CONNECT;
    try {
      const organiser = await createOrganiser();
      const event = await eventOf(organiser, [{ name: 'Standard', amount: 2000 }]);
      const type = event.types[0];
      if (!type) throw new Error('no type');
      const pub = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
      expect(data<{ ticketTypes: { onSale: boolean }[] }>(pub).ticketTypes[0]?.onSale).toBe(true);
      const paid = await paidOrder(event.slug, [{ ticketTypeId: type.id, quantity: 1 }]);
      expect(paid.session.transfer_destination).toBeNull();
      expect(paid.session.application_fee_amount).toBeNull();
      const created = fake.calls.find((c) => c.path === '/v1/checkout/sessions' && c.idempotencyKey === `order-${paid.order.id}`);
      expect([...(created?.form.keys() ?? [])].some((k) => k.includes('transfer_data') || k.includes('application_fee'))).toBe(false);
      expect((await refund(organiser, event.id, paid.order.id)).status).toBe(201);
      await sendDueRefunds(getDb());
      const sent = fake.calls.find((c) => c.path === '/v1/refunds' && c.form.get('payment_intent') === paid.session.payment_intent);
      expect(sent?.form.has('reverse_transfer')).toBe(false);
      // No connected account on a Stripe deployment without Connect.
      const refused = await open(organiser);
      expect(refused.status).toBe(409);
      expect(errorOf(refused).code).toBe('PAYOUTS_NOT_OFFERED');
    } finally {
      process.env.STRIPE_CONNECT = '1';
    }
  });
});
