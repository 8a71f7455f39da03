// What a role may not give itself by a side door (the second review of issue
// 37): a manager may make API keys but not one that refunds; a paid ticket's
// cancel is a refund and needs orders:refund; a lowered role keeps no key or
// door device beyond what it may make now; door devices are found in the
// caller's team only. Through the real route handlers on a real database.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as postKey } from '@/app/api/api-keys/route';
import { GET as getCredits } from '@/app/api/credits/route';
import { GET as getEvent } from '@/app/api/events/[id]/route';
import { GET as listEvents } from '@/app/api/events/route';
import { POST as postEndpoint } from '@/app/api/webhook-endpoints/route';
import { GET as listDevices, POST as postDevice } from '@/app/api/events/[id]/door-devices/route';
import { POST as cancelRegistration } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { PATCH as patchMember } from '@/app/api/teams/[tid]/members/[uid]/route';
import { POST as postTeam } from '@/app/api/teams/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { apiKeys, doorDevices, refunds, registrations, teamMembers, webhookEndpoints } from '@/lib/db/schema';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { call, createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

// The endpoints below point at this machine; nothing is delivered to them.
beforeAll(() => {
  vi.stubEnv('WEBHOOKS_ALLOW_PRIVATE', '1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await closeDb();
});

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const errorCode = (res: { json: Record<string, unknown> | null }) => (res.json as { error?: { code?: string } }).error?.code;

/** A shared team with an owner and a manager, both acting in it through the switcher's cookie. */
async function teamWithManager(): Promise<{ id: string; owner: Organiser; manager: Organiser }> {
  const owner = await createOrganiser('Owner');
  const res = await call(postTeam, 'POST', '/api/teams', { cookie: owner.cookie, key: randomUUID(), body: { name: 'Limits' } });
  expect(res.status, res.text).toBe(201);
  const id = data<{ team: { id: string } }>(res).team.id;
  const manager = await createOrganiser('Manager');
  await getDb().insert(teamMembers).values({ teamId: id, userId: manager.id, role: 'manager' });
  return { id, owner: { ...owner, cookie: `${owner.cookie}; team=${id}` }, manager: { ...manager, cookie: `${manager.cookie}; team=${id}` } };
}

describe('what a role may not give itself', () => {
  it('a manager makes keys without orders:refund, and is refused one with it', async () => {
    const team = await teamWithManager();
    const asked = await call(postKey, 'POST', '/api/api-keys', { cookie: team.manager.cookie, key: randomUUID(), body: { name: 'refunder', scopes: ['orders:refund'] } });
    expect(asked.status, asked.text).toBe(403);
    expect(errorCode(asked)).toBe('FORBIDDEN_FOR_ROLE');
    const plain = await call(postKey, 'POST', '/api/api-keys', { cookie: team.manager.cookie, key: randomUUID(), body: { name: 'default' } });
    expect(plain.status, plain.text).toBe(201);
    expect(data<{ apiKey: { scopes: string[] } }>(plain).apiKey.scopes.sort()).toEqual(['checkin', 'events:read', 'events:write', 'orders:read', 'webhooks']);
    // The owner may give every scope.
    const byOwner = await call(postKey, 'POST', '/api/api-keys', { cookie: team.owner.cookie, key: randomUUID(), body: { name: 'all' } });
    expect(data<{ apiKey: { scopes: string[] } }>(byOwner).apiKey.scopes).toContain('orders:refund');
  });

  it("a paid ticket's cancel is a refund: a manager is refused it and nothing is written; the owner may", async () => {
    const team = await teamWithManager();
    const { event, typeIds } = await ticketedEvent(team.owner, [1500]);
    const placed = await placeOrder(event.slug, typeIds[0] ?? '', 1);
    const outcome = await getDb().transaction((tx) =>
      recordPaymentEvent(tx, {
        provider: 'test',
        id: `evt_limits_${randomUUID()}`,
        type: 'checkout.session.completed',
        session: { id: `test_cs_${placed.id}`, checkoutId: placed.id, orderId: placed.id, paid: true, amountTotal: placed.total.amount, currency: 'eur', paymentId: `test_pi_${placed.id}` },
      }),
    );
    expect(outcome).toBe('order_paid');
    const [ticket] = await getDb().select({ id: registrations.id }).from(registrations).where(eq(registrations.orderId, placed.id));
    if (!ticket) throw new Error('no ticket');
    const cancel = (who: Organiser) =>
      call(cancelRegistration, 'POST', `/api/events/${event.id}/registrations/${ticket.id}/cancel`, { cookie: who.cookie, key: randomUUID(), params: { id: event.id, rid: ticket.id } });
    const byManager = await cancel(team.manager);
    expect(byManager.status, byManager.text).toBe(403);
    expect(errorCode(byManager)).toBe('FORBIDDEN_FOR_ROLE');
    expect(await getDb().select().from(refunds).where(eq(refunds.orderId, placed.id))).toEqual([]);
    const byOwner = await cancel(team.owner);
    expect(byOwner.status, byOwner.text).toBe(200);
    expect(await getDb().select().from(refunds).where(eq(refunds.orderId, placed.id))).toHaveLength(1);
  });

  it('a lowered role loses the keys beyond its scopes and the door devices it may no longer manage', async () => {
    const team = await teamWithManager();
    const { event } = await ticketedEvent(team.owner, [1500]);
    const key = await call(postKey, 'POST', '/api/api-keys', { cookie: team.manager.cookie, key: randomUUID(), body: { name: 'reader', scopes: ['events:read'] } });
    const wide = await call(postKey, 'POST', '/api/api-keys', { cookie: team.manager.cookie, key: randomUUID(), body: { name: 'writer' } });
    const device = await call(postDevice, 'POST', `/api/events/${event.id}/door-devices`, { cookie: team.manager.cookie, key: randomUUID(), body: { name: 'Gate' }, params: { id: event.id } });
    expect([key.status, wide.status, device.status]).toEqual([201, 201, 201]);
    const demoted = await call(patchMember, 'PATCH', `/api/teams/${team.id}/members/${team.manager.id}`, {
      cookie: team.owner.cookie,
      key: randomUUID(),
      body: { role: 'door' },
      params: { tid: team.id, uid: team.manager.id },
    });
    expect(demoted.status, demoted.text).toBe(200);
    // A door member may make no keys at all: both go; and no devices.
    const live = await getDb().select({ name: apiKeys.name }).from(apiKeys).where(and(eq(apiKeys.createdBy, team.manager.id), isNull(apiKeys.revokedAt)));
    expect(live).toEqual([]);
    const devices = await getDb().select().from(doorDevices).where(and(eq(doorDevices.createdBy, team.manager.id), isNull(doorDevices.revokedAt)));
    expect(devices).toEqual([]);
  });

  it("door devices are 404 for another team's event, and for one that is gone", async () => {
    const team = await teamWithManager();
    const { event } = await ticketedEvent(team.owner, [1500]);
    const stranger = await createOrganiser('Stranger');
    const theirs = await call(listDevices, 'GET', `/api/events/${event.id}/door-devices`, { cookie: stranger.cookie, params: { id: event.id } });
    expect(theirs.status).toBe(404);
    const gone = randomUUID();
    const listed = await call(listDevices, 'GET', `/api/events/${gone}/door-devices`, { cookie: team.owner.cookie, params: { id: gone } });
    expect(listed.status).toBe(404);
    const made = await call(postDevice, 'POST', `/api/events/${gone}/door-devices`, { cookie: team.owner.cookie, key: randomUUID(), body: { name: 'Gate' }, params: { id: gone } });
    expect(made.status, made.text).toBe(404);
  });

  it("the door role reads an event and the list without sales, and no credits; a manager reads both", async () => {
    const team = await teamWithManager();
    const { event, typeIds } = await ticketedEvent(team.owner, [1500]);
    const placed = await placeOrder(event.slug, typeIds[0] ?? '', 1);
    await getDb().transaction((tx) =>
      recordPaymentEvent(tx, {
        provider: 'test',
        id: `evt_door_sales_${randomUUID()}`,
        type: 'checkout.session.completed',
        session: { id: `test_cs_${placed.id}`, checkoutId: placed.id, orderId: placed.id, paid: true, amountTotal: placed.total.amount, currency: 'eur', paymentId: `test_pi_${placed.id}` },
      }),
    );
    const door = await createOrganiser('Door');
    await getDb().insert(teamMembers).values({ teamId: team.id, userId: door.id, role: 'door' });
    const asDoor = `${door.cookie}; team=${team.id}`;

    const one = (cookie: string) => call(getEvent, 'GET', `/api/events/${event.id}`, { cookie, params: { id: event.id } });
    const list = (cookie: string) => call(listEvents, 'GET', '/api/events', { cookie });
    const doorsView = await one(asDoor);
    expect(doorsView.status, doorsView.text).toBe(200);
    expect(data<{ event: { id: string } }>(doorsView).event.id).toBe(event.id);
    expect(doorsView.json?.data).not.toHaveProperty('stats');
    const doorsList = data<{ events: Record<string, unknown>[] }>(await list(asDoor)).events;
    expect(doorsList.map((e) => e.id)).toEqual([event.id]);
    expect(doorsList[0]).not.toHaveProperty('revenue');
    expect(doorsList[0]).not.toHaveProperty('ticketsSold');
    const credits = await call(getCredits, 'GET', '/api/credits', { cookie: asDoor });
    expect(credits.status, credits.text).toBe(403);
    expect(errorCode(credits)).toBe('FORBIDDEN_FOR_ROLE');

    const managersView = data<{ stats: { ticketsSold: number; revenue: { amount: number } } }>(await one(team.manager.cookie));
    expect(managersView.stats.ticketsSold).toBe(1);
    expect(managersView.stats.revenue.amount).toBe(1500);
    expect(data<{ events: { revenue: { amount: number } }[] }>(await list(team.manager.cookie)).events[0]?.revenue.amount).toBe(1500);
    expect((await call(getCredits, 'GET', '/api/credits', { cookie: team.manager.cookie })).status).toBe(200);
  });

  it('a key subscribes a webhook endpoint only to events whose data its scopes may read', async () => {
    const team = await teamWithManager();
    const keyWith = async (scopes: string[]) => {
      const res = await call(postKey, 'POST', '/api/api-keys', { cookie: team.owner.cookie, key: randomUUID(), body: { name: scopes.join('+'), scopes } });
      expect(res.status, res.text).toBe(201);
      return data<{ secret: string }>(res).secret;
    };
    const subscribe = (secret: string, events: string[]) =>
      call(postEndpoint, 'POST', '/api/webhook-endpoints', { headers: { authorization: `Bearer ${secret}` }, key: randomUUID(), body: { url: 'http://127.0.0.1:9/hook', events } });
    const hooksOnly = await keyWith(['webhooks']);
    for (const events of [['order.paid'], ['registration.created'], ['checkin.admitted'], ['event.updated']]) {
      const refused = await subscribe(hooksOnly, events);
      expect(refused.status, refused.text).toBe(403);
      expect(errorCode(refused)).toBe('INSUFFICIENT_SCOPE');
    }
    const withEvents = await keyWith(['webhooks', 'events:read']);
    expect((await subscribe(withEvents, ['event.updated', 'event.cancelled'])).status).toBe(201);
    expect(errorCode(await subscribe(withEvents, ['event.updated', 'order.refunded']))).toBe('INSUFFICIENT_SCOPE');
    const withOrders = await keyWith(['webhooks', 'orders:read']);
    expect((await subscribe(withOrders, ['order.paid', 'registration.created', 'checkin.admitted'])).status).toBe(201);
    const endpoints = await getDb().select({ events: webhookEndpoints.events }).from(webhookEndpoints).where(eq(webhookEndpoints.teamId, team.id));
    expect(endpoints).toHaveLength(2);
  });
});

