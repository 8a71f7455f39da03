// GET /api/idempotency/:key?route=… (docs/api.md, "Attempt outcomes"): a
// caller that lost an answer asks what became of its attempt, and sees only
// its own records, a user's or a guest's.
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { GET as getOutcome } from '@/app/api/idempotency/[key]/route';
import { POST as postEvent } from '@/app/api/events/route';
import { grantCredits } from '@/lib/billing/credits';
import { closeDb, getDb } from '@/lib/db/pool';
import { idempotencyKeys } from '@/lib/db/schema';
import { guestPrincipalId } from '@/lib/http/guest';
import { withIdempotency } from '@/lib/idempotency';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser } from './support';

afterAll(closeDb);

const CREATE = 'POST /api/events';

function lookup(key: string, options: { cookie?: string; route?: string | null } = {}) {
  const route = options.route === undefined ? CREATE : options.route;
  const query = route === null ? '' : `?route=${encodeURIComponent(route)}`;
  return call(getOutcome, 'GET', `/api/idempotency/${key}${query}`, { cookie: options.cookie, params: { key } });
}

describe('attempt outcomes', () => {
  it("answers the caller's completed attempt with its resource, and 404 to anyone else", async () => {
    const [owner, other] = await Promise.all([createOrganiser(), createOrganiser()]);
    const key = randomUUID();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: owner.cookie, key, body: validEventBody() });
    expect(created.status).toBe(201);
    const eventId = (created.json as { data: { event: { id: string } } }).data.event.id;

    const mine = await lookup(key, { cookie: owner.cookie });
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({
      success: true,
      data: { record: { status: 'completed', responseStatus: 201, resource: { type: 'event', id: eventId } } },
    });
    const expiresAt = (mine.json as { data: { record: { expiresAt: string } } }).data.record.expiresAt;
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);

    for (const res of [await lookup(key, { cookie: other.cookie }), await lookup(key), await lookup(key, { cookie: owner.cookie, route: 'PATCH /api/events/[id]' })]) {
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('says an attempt awaits confirmation, with the 402 it answered', async () => {
    const owner = await createOrganiser();
    await grantCredits(getDb(), { teamId: owner.id, amount: 1, reason: 'test_grant' });
    const key = randomUUID();
    const parked = await call(postEvent, 'POST', '/api/events', { cookie: owner.cookie, key, body: validEventBody({ maxParticipants: 50 }) });
    expect(parked.status).toBe(402);
    expect(parked.json).toMatchObject({ error: { code: 'CREDIT_CONFIRMATION_REQUIRED' } });
    const res = await lookup(key, { cookie: owner.cookie });
    expect(res.json).toMatchObject({ data: { record: { status: 'awaiting_confirmation', responseStatus: 402, resource: null } } });
  });

  it("scopes a guest by the guest cookie: the guest's own record, not another guest's", async () => {
    const cookie = `guest=${randomUUID().replaceAll('-', '')}`;
    const guestId = guestPrincipalId(new Request('http://localhost/', { headers: { cookie } }));
    if (!guestId) throw new Error('the test cookie should be a well-formed guest token');
    const key = randomUUID();
    const route = 'POST /api/public/things';
    await withIdempotency(
      { principal: { kind: 'guest', guestId }, operation: route, method: 'POST', key, params: {}, body: { a: 1 }, confirming: false },
      async () => ({ kind: 'completed', response: { status: 201, body: { ok: true }, headers: {} } }),
    );
    expect((await lookup(key, { cookie, route })).json).toMatchObject({ data: { record: { status: 'completed', responseStatus: 201 } } });
    expect((await lookup(key, { cookie: `guest=${randomUUID().replaceAll('-', '')}`, route })).status).toBe(404);
    expect((await lookup(key, { route })).status).toBe(404);
  });

  // A first execution writes its record only when it commits; until then its held lock says it is at work.
  // Postgres only: on PGlite's one session the lookup would wait for the open first execution to end.
  it.runIf(inject('databaseKind') === 'postgres')('says an attempt is in progress while its first execution runs, before any record exists', async () => {
    const cookie = `guest=${randomUUID().replaceAll('-', '')}`;
    const guestId = guestPrincipalId(new Request('http://localhost/', { headers: { cookie } }));
    if (!guestId) throw new Error('the test cookie should be a well-formed guest token');
    const key = randomUUID();
    const route = 'POST /api/public/things';
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const running = withIdempotency(
      { principal: { kind: 'guest', guestId }, operation: route, method: 'POST', key, params: {}, body: { a: 1 }, confirming: false },
      async () => {
        entered();
        await gate;
        return { kind: 'completed', response: { status: 201, body: { ok: true }, headers: {} } };
      },
    );
    await inside;
    expect((await lookup(key, { cookie, route })).json).toMatchObject({ data: { record: { status: 'in_progress', responseStatus: null, resource: null } } });
    expect((await lookup(key, { cookie: `guest=${randomUUID().replaceAll('-', '')}`, route })).status).toBe(404);
    release();
    await running;
    expect((await lookup(key, { cookie, route })).json).toMatchObject({ data: { record: { status: 'completed', responseStatus: 201 } } });
  });

  it('treats an expired record as gone', async () => {
    const owner = await createOrganiser();
    const key = randomUUID();
    await call(postEvent, 'POST', '/api/events', { cookie: owner.cookie, key, body: validEventBody() });
    await getDb().update(idempotencyKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.key, key));
    expect((await lookup(key, { cookie: owner.cookie })).status).toBe(404);
  });

  it('answers 400 for a malformed key or a missing or malformed route', async () => {
    const owner = await createOrganiser();
    expect((await lookup('not-a-uuid', { cookie: owner.cookie })).json).toMatchObject({ error: { code: 'INVALID_IDEMPOTENCY_KEY' } });
    for (const route of [null, 'GET /api/events', 'POST events']) {
      const res = await lookup(randomUUID(), { cookie: owner.cookie, route });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { route: expect.any(Array) } } });
    }
  });
});
