// What a role may not give itself by a side door (the second review of issue
// 37): a manager may make API keys but not one that refunds; a paid ticket's
// cancel is a refund and needs orders:refund; a lowered role keeps no key or
// door device beyond what it may make now; door devices are found in the
// caller's team only. Through the real route handlers on a real database.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as postKey } from '@/app/api/api-keys/route';
import { GET as listDevices, POST as postDevice } from '@/app/api/events/[id]/door-devices/route';
import { POST as cancelRegistration } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { PATCH as patchMember } from '@/app/api/teams/[tid]/members/[uid]/route';
import { POST as postTeam } from '@/app/api/teams/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { apiKeys, doorDevices, refunds, registrations, teamMembers } from '@/lib/db/schema';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { call, createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

afterAll(async () => {
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
});
