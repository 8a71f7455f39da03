// The audit log (docs/api.md, "Teams, roles and door devices"): every
// privileged write the contract names leaves exactly one entry with its actor
// (a user or an API key), written in the change's transaction, so a refused
// change leaves none; `GET /api/teams/:tid/audit` is for owners only, newest
// first, filtered and paged on the id. API keys' scopes are enforced: a key
// without `orders:refund` cannot refund. Through the real route handlers on a
// real database.
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as postKey } from '@/app/api/api-keys/route';
import { PATCH as patchEvent } from '@/app/api/events/[id]/route';
import { DELETE as deleteCode, PATCH as patchCode } from '@/app/api/events/[id]/codes/[cid]/route';
import { POST as postBulkCodes } from '@/app/api/events/[id]/codes/bulk/route';
import { POST as postCode } from '@/app/api/events/[id]/codes/route';
import { POST as postRefund } from '@/app/api/events/[id]/orders/[oid]/refund/route';
import { POST as postRetry } from '@/app/api/events/[id]/orders/[oid]/refunds/[rfid]/retry/route';
import { PATCH as patchType } from '@/app/api/events/[id]/ticket-types/[tid]/route';
import { GET as getAudit } from '@/app/api/teams/[tid]/audit/route';
import { POST as postTeam } from '@/app/api/teams/route';
import { DELETE as deleteEndpoint } from '@/app/api/webhook-endpoints/[id]/route';
import { POST as postEndpoint } from '@/app/api/webhook-endpoints/route';
import type { AuditEntryDto, AuditPage } from '@/lib/audit/schemas';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { auditLog, refunds, teamMembers } from '@/lib/db/schema';
import type { ApiKeyScope, TeamRole } from '@/lib/enums';
import { refundOrdersOfCancelledEvents } from '@/lib/flows/cancel-event';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { markRefundFailed } from '@/lib/tickets/refunds';
import { call, createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const errorCode = (res: { json: Record<string, unknown> | null }) => (res.json as { error?: { code?: string } }).error?.code;
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

// The endpoints below point at this machine; nothing is delivered to them.
beforeAll(() => {
  vi.stubEnv('WEBHOOKS_ALLOW_PRIVATE', '1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await closeDb();
});

type Team = { id: string; owner: Organiser; members: Record<Exclude<TeamRole, 'owner'>, Organiser> };

/** A shared team: its owner (acting in it through the switcher's cookie) and a member of each other role. */
async function newTeam(): Promise<Team> {
  const owner = await createOrganiser('Olga Owner');
  const res = await call(postTeam, 'POST', '/api/teams', { cookie: owner.cookie, key: randomUUID(), body: { name: 'Audit crew' } });
  expect(res.status, res.text).toBe(201);
  const id = data<{ team: { id: string } }>(res).team.id;
  const members = {} as Team['members'];
  for (const role of ['manager', 'finance', 'door'] as const) {
    const member = await createOrganiser(`${role} member`);
    await getDb().insert(teamMembers).values({ teamId: id, userId: member.id, role });
    members[role] = { ...member, cookie: `${member.cookie}; team=${id}` };
  }
  return { id, owner: { ...owner, cookie: `${owner.cookie}; team=${id}` }, members };
}

async function entriesOf(teamId: string): Promise<(typeof auditLog.$inferSelect)[]> {
  return getDb().select().from(auditLog).where(eq(auditLog.teamId, teamId)).orderBy(auditLog.id);
}

/** What a call added to the log: the team's entries after `before` (an id). */
async function entriesAfter(teamId: string, before: number) {
  return (await entriesOf(teamId)).filter((entry) => entry.id > before);
}

async function lastId(teamId: string): Promise<number> {
  return (await entriesOf(teamId)).at(-1)?.id ?? 0;
}

async function paidOrder(slug: string, ticketTypeId: string): Promise<{ id: string; total: number }> {
  const placed = await placeOrder(slug, ticketTypeId, 2);
  const outcome = await getDb().transaction((tx) =>
    recordPaymentEvent(tx, {
      provider: 'test',
      id: `evt_audit_${randomUUID()}`,
      type: 'checkout.session.completed',
      session: { id: `test_cs_${placed.id}`, checkoutId: placed.id, orderId: placed.id, paid: true, amountTotal: placed.total.amount, currency: 'eur', paymentId: `test_pi_${placed.id}` },
    }),
  );
  expect(outcome).toBe('order_paid');
  return { id: placed.id, total: placed.total.amount };
}

async function newKey(who: Organiser, name: string, scopes?: ApiKeyScope[]): Promise<{ id: string; secret: string }> {
  const res = await call(postKey, 'POST', '/api/api-keys', { cookie: who.cookie, key: randomUUID(), body: scopes ? { name, scopes } : { name } });
  expect(res.status, res.text).toBe(201);
  const { apiKey, secret } = data<{ apiKey: { id: string; scopes: string[] }; secret: string }>(res);
  expect(apiKey.scopes.sort()).toEqual((scopes ?? ['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']).slice().sort());
  return { id: apiKey.id, secret };
}

function refund(eventId: string, orderId: string, auth: { cookie?: string; headers?: Record<string, string> }, amount?: number, key = randomUUID()) {
  return call(postRefund, 'POST', `/api/events/${eventId}/orders/${orderId}/refund`, {
    ...auth,
    key,
    params: { id: eventId, oid: orderId },
    body: amount === undefined ? {} : { amount },
  });
}

function readAudit(teamId: string, auth: { cookie?: string; headers?: Record<string, string> }, query = '') {
  return call(getAudit, 'GET', `/api/teams/${teamId}/audit${query}`, { ...auth, params: { tid: teamId } });
}

describe('the audit log', () => {
  it('writes one entry per refund with the actor (user or API key), none for a refused refund; keys need orders:refund', async () => {
    const team = await newTeam();
    const { event, typeIds } = await ticketedEvent(team.owner, [1500]);
    const typeId = typeIds[0] ?? '';
    const order = await paidOrder(event.slug, typeId);

    // The owner refunds part of it: one entry, the owner as actor, amounts in minor units, no guest's data.
    let before = await lastId(team.id);
    const userKey = randomUUID();
    const byUser = await refund(event.id, order.id, { cookie: team.owner.cookie }, 500, userKey);
    expect(byUser.status, byUser.text).toBe(201);
    // The same request again (a lost answer): replayed, no second refund and no second entry.
    const replayed = await refund(event.id, order.id, { cookie: team.owner.cookie }, 500, userKey);
    expect(replayed.status, replayed.text).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const refundId = data<{ refund: { id: string } }>(byUser).refund.id;
    const [userEntry, ...moreUser] = await entriesAfter(team.id, before);
    expect(moreUser).toEqual([]);
    expect(userEntry).toMatchObject({
      action: 'order.refunded',
      actorType: 'user',
      actorId: team.owner.id,
      actorName: 'Olga Owner',
      targetType: 'order',
      targetId: order.id,
      details: { refundId, amount: 500, currency: 'eur', reason: 'organiser', eventId: event.id },
    });
    expect(JSON.stringify(userEntry?.details)).not.toMatch(/@example\.com|Guest/);

    // More than is left: refused, and the log says nothing of it.
    before = await lastId(team.id);
    const refused = await refund(event.id, order.id, { cookie: team.owner.cookie }, order.total);
    expect(refused.status, refused.text).toBe(409);
    expect(errorCode(refused)).toBe('REFUND_EXCEEDS_PAID');
    expect(await entriesAfter(team.id, before)).toEqual([]);

    // A key without orders:refund is refused before anything is written; one with it refunds, and is the actor.
    const reader = await newKey(team.owner, 'Reporting', ['orders:read']);
    before = await lastId(team.id);
    const noScope = await refund(event.id, order.id, { headers: bearer(reader.secret) }, 100);
    expect(noScope.status, noScope.text).toBe(403);
    expect(errorCode(noScope)).toBe('INSUFFICIENT_SCOPE');
    expect(await entriesAfter(team.id, before)).toEqual([]);

    const refunder = await newKey(team.owner, 'Support desk', ['orders:read', 'orders:refund']);
    before = await lastId(team.id);
    const byKey = await refund(event.id, order.id, { headers: bearer(refunder.secret) }, 100);
    expect(byKey.status, byKey.text).toBe(201);
    const keyEntries = await entriesAfter(team.id, before);
    expect(keyEntries).toHaveLength(1);
    expect(keyEntries[0]).toMatchObject({ action: 'order.refunded', actorType: 'api_key', actorId: refunder.id, actorName: 'Support desk', details: { amount: 100 } });

    // A finance member may refund; a manager may not (and writes nothing).
    before = await lastId(team.id);
    const byManager = await refund(event.id, order.id, { cookie: team.members.manager.cookie }, 100);
    expect(byManager.status, byManager.text).toBe(403);
    expect(errorCode(byManager)).toBe('FORBIDDEN_FOR_ROLE');
    const byFinance = await refund(event.id, order.id, { cookie: team.members.finance.cookie }, 100);
    expect(byFinance.status, byFinance.text).toBe(201);
    expect((await entriesAfter(team.id, before)).map((e) => [e.action, e.actorId])).toEqual([['order.refunded', team.members.finance.id]]);

    // The provider fails the first refund; the retry is one entry of its own.
    const [failing] = await getDb().select().from(refunds).where(eq(refunds.id, refundId));
    if (!failing) throw new Error('refund row expected');
    await getDb().transaction((tx) => markRefundFailed(tx, failing, null, 'card_declined'));
    before = await lastId(team.id);
    const retried = await call(postRetry, 'POST', `/api/events/${event.id}/orders/${order.id}/refunds/${refundId}/retry`, {
      cookie: team.owner.cookie,
      key: randomUUID(),
      params: { id: event.id, oid: order.id, rfid: refundId },
    });
    expect(retried.status, retried.text).toBe(200);
    const retryEntries = await entriesAfter(team.id, before);
    expect(retryEntries.map((e) => ({ action: e.action, actorId: e.actorId, details: e.details }))).toEqual([
      { action: 'order.refund_retried', actorId: team.owner.id, details: expect.objectContaining({ refundId, amount: 500, currency: 'eur' }) },
    ]);
  });

  it("writes capacity changes and the cancellation with before and after; the refunds that follow are the system's", async () => {
    const team = await newTeam();
    const { event, typeIds } = await ticketedEvent(team.owner, [2000], { maxParticipants: 20 });
    const order = await paidOrder(event.slug, typeIds[0] ?? '');
    const patch = (body: Record<string, unknown>, version: number) =>
      call(patchEvent, 'PATCH', `/api/events/${event.id}`, { cookie: team.owner.cookie, key: randomUUID(), params: { id: event.id }, headers: { 'if-match': `"${version}"` }, body });

    let before = await lastId(team.id);
    const titled = await patch({ title: 'Renamed' }, 1);
    expect(titled.status, titled.text).toBe(200);
    expect(await entriesAfter(team.id, before)).toEqual([]);

    const raised = await patch({ maxParticipants: 25 }, 2);
    expect(raised.status, raised.text).toBe(200);
    expect((await entriesAfter(team.id, before)).map((e) => [e.action, e.actorId, e.targetId, e.details])).toEqual([
      ['event.capacity_changed', team.owner.id, event.id, { title: 'Renamed', from: 20, to: 25 }],
    ]);

    // Below the seats taken: refused, nothing written.
    before = await lastId(team.id);
    const tooLow = await patch({ maxParticipants: 1 }, 3);
    expect(tooLow.status, tooLow.text).toBe(409);
    expect(await entriesAfter(team.id, before)).toEqual([]);

    const cancelled = await patch({ status: 'cancelled' }, 3);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await entriesAfter(team.id, before)).map((e) => [e.action, e.actorType, e.actorId])).toEqual([['event.cancelled', 'user', team.owner.id]]);

    // The refund round pays the guests back on its own: the log names the system.
    before = await lastId(team.id);
    await refundOrdersOfCancelledEvents(getDb());
    const system = (await entriesAfter(team.id, before)).filter((e) => e.targetId === order.id);
    expect(system.map((e) => ({ action: e.action, actorType: e.actorType, actorId: e.actorId, details: e.details }))).toEqual([
      { action: 'order.refunded', actorType: 'system', actorId: null, details: expect.objectContaining({ amount: order.total, currency: 'eur', reason: 'event_cancelled' }) },
    ]);
  });

  it('writes price changes, codes and webhook endpoints, one entry each, and nothing for a change refused', async () => {
    const team = await newTeam();
    const { event, typeIds } = await ticketedEvent(team.owner, [1000]);
    const typeId = typeIds[0] ?? '';
    const owner = team.owner;
    const writer = await newKey(owner, 'Pricing bot', ['events:read', 'events:write', 'webhooks']);

    let before = await lastId(team.id);
    const renamed = await call(patchType, 'PATCH', `/api/events/${event.id}/ticket-types/${typeId}`, { cookie: owner.cookie, key: randomUUID(), params: { id: event.id, tid: typeId }, body: { name: 'Early bird' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(await entriesAfter(team.id, before)).toEqual([]);
    const repriced = await call(patchType, 'PATCH', `/api/events/${event.id}/ticket-types/${typeId}`, {
      headers: bearer(writer.secret),
      key: randomUUID(),
      params: { id: event.id, tid: typeId },
      body: { price: { amount: 1250, currency: 'EUR' } },
    });
    expect(repriced.status, repriced.text).toBe(200);
    expect((await entriesAfter(team.id, before)).map((e) => [e.action, e.actorType, e.actorId, e.targetId, e.details])).toEqual([
      ['event.price_changed', 'api_key', writer.id, typeId, { eventId: event.id, name: 'Early bird', from: { amount: 1000, currency: 'eur' }, to: { amount: 1250, currency: 'eur' } }],
    ]);

    // Codes: created, taken (refused), updated, created in bulk, deleted.
    before = await lastId(team.id);
    const codeCall = (body: Record<string, unknown>) => call(postCode, 'POST', `/api/events/${event.id}/codes`, { cookie: owner.cookie, key: randomUUID(), params: { id: event.id }, body });
    const created = await codeCall({ code: 'FRIENDS', discount: { percent: 10 } });
    expect(created.status, created.text).toBe(201);
    const codeId = data<{ code: { id: string } }>(created).code.id;
    const taken = await codeCall({ code: 'FRIENDS', discount: { percent: 20 } });
    expect(taken.status, taken.text).toBe(409);
    const updated = await call(patchCode, 'PATCH', `/api/events/${event.id}/codes/${codeId}`, { cookie: owner.cookie, key: randomUUID(), params: { id: event.id, cid: codeId }, body: { status: 'disabled', maxUses: 5 } });
    expect(updated.status, updated.text).toBe(200);
    const bulk = await call(postBulkCodes, 'POST', `/api/events/${event.id}/codes/bulk`, { cookie: owner.cookie, key: randomUUID(), params: { id: event.id }, body: { prefix: 'VIP', count: 3, discount: { percent: 50 } } });
    expect(bulk.status, bulk.text).toBe(201);
    const deleted = await call(deleteCode, 'DELETE', `/api/events/${event.id}/codes/${codeId}`, { cookie: owner.cookie, key: randomUUID(), params: { id: event.id, cid: codeId } });
    expect(deleted.status, deleted.text).toBe(204);
    expect((await entriesAfter(team.id, before)).map((e) => [e.action, e.targetType, e.targetId, e.details])).toEqual([
      ['code.created', 'discount_code', codeId, { eventId: event.id, code: 'FRIENDS' }],
      ['code.updated', 'discount_code', codeId, { eventId: event.id, code: 'FRIENDS', fields: ['maxUses', 'status'], status: { from: 'active', to: 'disabled' } }],
      ['code.bulk_created', 'event', event.id, { eventId: event.id, prefix: 'VIP', count: 3 }],
      ['code.deleted', 'discount_code', codeId, { eventId: event.id, code: 'FRIENDS' }],
    ]);

    // Webhook endpoints: the URL without its query (a receiver's token stays out of the log). The key
    // reads events, not orders, so it subscribes to an event's (docs/api.md, "A webhook subscription reads what its events carry").
    before = await lastId(team.id);
    const endpoint = await call(postEndpoint, 'POST', '/api/webhook-endpoints', {
      headers: bearer(writer.secret),
      key: randomUUID(),
      body: { url: 'http://127.0.0.1:9/hooks/events?token=s3cret', events: ['event.cancelled'] },
    });
    expect(endpoint.status, endpoint.text).toBe(201);
    const endpointId = data<{ endpoint: { id: string } }>(endpoint).endpoint.id;
    const removed = await call(deleteEndpoint, 'DELETE', `/api/webhook-endpoints/${endpointId}`, { cookie: owner.cookie, key: randomUUID(), params: { id: endpointId } });
    expect(removed.status, removed.text).toBe(204);
    const hooks = await entriesAfter(team.id, before);
    expect(hooks.map((e) => [e.action, e.actorType, e.targetId, e.details])).toEqual([
      ['webhook_endpoint.created', 'api_key', endpointId, { url: 'http://127.0.0.1:9/hooks/events', events: ['event.cancelled'] }],
      ['webhook_endpoint.deleted', 'user', endpointId, { url: 'http://127.0.0.1:9/hooks/events', events: ['event.cancelled'] }],
    ]);
    expect(JSON.stringify(hooks)).not.toContain('s3cret');
  });

  it('is read by owners only, newest first, filtered and paged', async () => {
    const team = await newTeam();
    const { event, typeIds } = await ticketedEvent(team.owner, [900]);
    const order = await paidOrder(event.slug, typeIds[0] ?? '');
    for (const amount of [100, 200, 300]) expect((await refund(event.id, order.id, { cookie: team.owner.cookie }, amount)).status).toBe(201);
    const keyed = await newKey(team.owner, 'Everything');
    expect((await refund(event.id, order.id, { headers: bearer(keyed.secret) }, 50)).status).toBe(201);

    // Owner only: the other roles are refused, a stranger is told nothing, a key (even with every scope) is refused.
    for (const role of ['manager', 'finance', 'door'] as const) {
      const res = await readAudit(team.id, { cookie: team.members[role].cookie });
      expect(res.status, `${role}: ${res.text}`).toBe(403);
      expect(errorCode(res)).toBe('FORBIDDEN_FOR_ROLE');
    }
    const stranger = await createOrganiser('Stranger');
    const strange = await readAudit(team.id, { cookie: stranger.cookie });
    expect(strange.status).toBe(404);
    expect(errorCode(strange)).toBe('NOT_FOUND');
    expect((await readAudit('not-a-team', { cookie: team.owner.cookie })).status).toBe(404);
    const byKey = await readAudit(team.id, { headers: bearer(keyed.secret) });
    expect(byKey.status).toBe(403);
    expect(errorCode(byKey)).toBe('FORBIDDEN_FOR_API_KEY');

    const all = await readAudit(team.id, { cookie: team.owner.cookie });
    expect(all.status, all.text).toBe(200);
    const page = data<AuditPage>(all);
    expect(page.nextCursor).toBeNull();
    const ids = page.entries.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // api_key.created, four refunds (the newest by the key).
    expect(page.entries.map((e) => e.action)).toEqual(['order.refunded', 'api_key.created', 'order.refunded', 'order.refunded', 'order.refunded']);
    expect(page.entries[0]).toEqual<AuditEntryDto>({
      id: expect.any(String),
      at: expect.any(String),
      actor: { type: 'api_key', id: keyed.id, name: 'Everything' },
      action: 'order.refunded',
      target: { type: 'order', id: order.id },
      details: expect.objectContaining({ amount: 50 }),
    });

    // Filters: by action, by actor type, by time.
    const only = async (query: string) => {
      const res = await readAudit(team.id, { cookie: team.owner.cookie }, query);
      expect(res.status, res.text).toBe(200);
      return data<AuditPage>(res).entries;
    };
    expect((await only('?action=api_key.created')).map((e) => e.action)).toEqual(['api_key.created']);
    expect((await only('?actor=api_key')).map((e) => e.details.amount)).toEqual([50]);
    expect((await only('?actor=user&action=order.refunded')).map((e) => e.details.amount)).toEqual([300, 200, 100]);
    expect(await only('?actor=device')).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await only(`?from=${today}&to=${today}`)).toHaveLength(5);
    expect(await only('?to=2000-01-01')).toEqual([]);
    expect(await only(`?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);

    // Pages of two: every entry once, newest first.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await readAudit(team.id, { cookie: team.owner.cookie }, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, res.text).toBe(200);
      const next: AuditPage = data<AuditPage>(res);
      expect(next.entries.length).toBeLessThanOrEqual(2);
      seen.push(...next.entries.map((e) => e.id));
      cursor = next.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(page.entries.map((e) => e.id));

    // Another team's entries never show, whatever the cursor.
    const other = await newTeam();
    await newKey(other.owner, 'Theirs');
    expect((await only('?action=api_key.created')).map((e) => [e.actor.id, e.details.name])).toEqual([[team.owner.id, 'Everything']]);

    // Bad filters are the envelope's 400.
    for (const query of ['?cursor=abc', '?action=order.eaten', '?actor=robot', '?from=yesterday', '?limit=0']) {
      const res = await readAudit(team.id, { cookie: team.owner.cookie }, query);
      expect(res.status, query).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
  });

  it('is append-only', async () => {
    const team = await newTeam();
    await newKey(team.owner, 'Anything');
    await expect(getPool().query('update audit_log set action = $1 where team_id = $2', ['nothing', team.id])).rejects.toThrow(/append-only/);
    await expect(getPool().query('delete from audit_log where team_id = $1', [team.id])).rejects.toThrow(/append-only/);
    expect(await getDb().select().from(auditLog).where(and(eq(auditLog.teamId, team.id), eq(auditLog.action, 'api_key.created')))).toHaveLength(1);
  });
});
