import { randomUUID } from 'node:crypto';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GET as getEvent, PATCH as patchEvent, DELETE as deleteEvent } from '@/app/api/events/[id]/route';
import { GET as listEvents, POST as postEvent, PUT as putEvents } from '@/app/api/events/route';
import { GET as getCredits } from '@/app/api/credits/route';
import { grantCredits } from '@/lib/billing/credits';
import { closeDb, getDb } from '@/lib/db/pool';
import { creditAccounts, creditLedger, events, eventUpgrades, idempotencyKeys } from '@/lib/db/schema';
import { call, createOrganiser, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

afterAll(closeDb);

// The ledger is the balance's history: after every test, for every organiser, they agree.
afterEach(async () => {
  const mismatched = await getDb().execute<{ team_id: string }>(sql`
    select a.team_id from credit_accounts a
    left join (select team_id, sum(delta)::int as total from credit_ledger group by team_id) l using (team_id)
    where a.balance <> coalesce(l.total, 0)`);
  expect(mismatched.rows).toEqual([]);
});

const DAY = 24 * 3600 * 1000;

/** A valid body with any overrides, invalid ones included (the validation cases need those). */
function eventBody(overrides: Record<string, unknown> = {}) {
  return { ...validEventBody(), ...overrides };
}

type EventJson = { id: string; version: number; maxParticipants: number; status: string; title: string };
type WriteJson = { success: true; data: { event: EventJson; credit: { charged: boolean; balance: number } } };
type ErrorJson = { success: false; error: { code: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> } };

function create(organiser: Organiser, body: unknown, options: { key?: string; confirm?: boolean } = {}) {
  return call(postEvent, 'POST', `/api/events${options.confirm ? '?confirm_credit=1' : ''}`, {
    cookie: organiser.cookie,
    key: options.key ?? randomUUID(),
    body,
  });
}

function patch(organiser: Organiser, id: string, body: unknown, options: { key?: string; confirm?: boolean; ifMatch?: string | null } = {}) {
  const headers: Record<string, string> = {};
  if (options.ifMatch !== null) headers['if-match'] = options.ifMatch ?? '"1"';
  return call(patchEvent, 'PATCH', `/api/events/${id}${options.confirm ? '?confirm_credit=1' : ''}`, {
    cookie: organiser.cookie,
    key: options.key ?? randomUUID(),
    body,
    headers,
    params: { id },
  });
}

async function createdEvent(organiser: Organiser, body: unknown): Promise<EventJson> {
  const res = await create(organiser, body);
  expect(res.status).toBe(201);
  return (res.json as WriteJson).data.event;
}

async function balanceOf(userId: string): Promise<number> {
  const [row] = await getDb().select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.teamId, userId));
  return row?.balance ?? 0;
}

async function eventCount(userId: string): Promise<number> {
  const [row] = await getDb().select({ n: count() }).from(events).where(eq(events.teamId, userId));
  return row?.n ?? 0;
}

async function organiserWithCredits(amount: number): Promise<Organiser> {
  const organiser = await createOrganiser();
  if (amount > 0) await grantCredits(getDb(), { teamId: organiser.id, amount, reason: 'test grant' });
  return organiser;
}

describe('POST /api/events', () => {
  it('creates an event within the plan limit: 201, no credit spent, Location and ETag set', async () => {
    const organiser = await organiserWithCredits(2);
    const res = await create(organiser, eventBody());
    expect(res.status).toBe(201);
    const { event, credit } = (res.json as WriteJson).data;
    expect(credit).toEqual({ charged: false, balance: 2 });
    expect(event).toMatchObject({ title: 'Spring meetup', version: 1, status: 'published', teamId: organiser.id });
    expect(res.headers.get('location')).toBe(`/api/events/${event.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.headers.get('x-idempotency-stored')).toBe('true');
    expect(await balanceOf(organiser.id)).toBe(2);
  });

  it('asks to confirm a credit over the limit, spends exactly one with the flag, and replays without charging again', async () => {
    const organiser = await organiserWithCredits(3);
    const key = randomUUID();
    const body = eventBody({ maxParticipants: 50 });

    const ask = await create(organiser, body, { key });
    expect(ask.status).toBe(402);
    expect((ask.json as ErrorJson).error).toMatchObject({
      code: 'CREDIT_CONFIRMATION_REQUIRED',
      details: { creditsRequired: 1, balance: 3, planLimit: 30, requested: 50 },
    });
    expect(await eventCount(organiser.id)).toBe(0);

    const confirmed = await create(organiser, body, { key, confirm: true });
    expect(confirmed.status).toBe(201);
    const { event, credit } = (confirmed.json as WriteJson).data;
    expect(credit).toEqual({ charged: true, balance: 2 });
    expect(await balanceOf(organiser.id)).toBe(2);

    const [record] = await getDb()
      .select({ id: idempotencyKeys.id })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, organiser.id), eq(idempotencyKeys.key, key)));
    const ledger = await getDb().select().from(creditLedger).where(and(eq(creditLedger.teamId, organiser.id), eq(creditLedger.delta, -1)));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ eventId: event.id, idempotencyKeyId: record?.id, reason: 'event_upgrade' });
    const upgrades = await getDb().select().from(eventUpgrades).where(eq(eventUpgrades.eventId, event.id));
    expect(upgrades).toMatchObject([{ participantLimit: 1000, ledgerId: ledger[0]?.id }]);

    const replay = await create(organiser, body, { key, confirm: true });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect((replay.json as WriteJson).data.event.id).toBe(event.id);
    expect(await balanceOf(organiser.id)).toBe(2);
    expect(await eventCount(organiser.id)).toBe(1);
  });

  it('charges a key reused after its record expired anew, and unlinks the old charge as a purge would', async () => {
    const organiser = await organiserWithCredits(2);
    const key = randomUUID();
    const first = await create(organiser, eventBody({ title: 'First big', maxParticipants: 50 }), { key, confirm: true });
    expect(first.status).toBe(201);
    await getDb()
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(idempotencyKeys.userId, organiser.id), eq(idempotencyKeys.key, key)));
    const second = await create(organiser, eventBody({ title: 'Second big', maxParticipants: 50 }), { key, confirm: true });
    expect(second.status).toBe(201);
    expect(second.headers.get('x-idempotency-replay')).toBeNull();
    const [record] = await getDb()
      .select({ id: idempotencyKeys.id })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, organiser.id), eq(idempotencyKeys.key, key)));
    const charges = await getDb()
      .select({ eventId: creditLedger.eventId, keyId: creditLedger.idempotencyKeyId })
      .from(creditLedger)
      .where(and(eq(creditLedger.teamId, organiser.id), eq(creditLedger.delta, -1)));
    expect(charges).toHaveLength(2);
    expect(charges).toContainEqual({ eventId: (first.json as WriteJson).data.event.id, keyId: null });
    expect(charges).toContainEqual({ eventId: (second.json as WriteJson).data.event.id, keyId: record?.id });
    expect(await balanceOf(organiser.id)).toBe(0);
  });

  it('answers 402 INSUFFICIENT_CREDITS without credits, with or without the flag, and writes nothing', async () => {
    const organiser = await organiserWithCredits(0);
    for (const confirm of [false, true]) {
      const res = await create(organiser, eventBody({ maxParticipants: 50 }), { confirm });
      expect(res.status).toBe(402);
      expect((res.json as ErrorJson).error).toMatchObject({
        code: 'INSUFFICIENT_CREDITS',
        details: { creditsRequired: 1, balance: 0, planLimit: 30, requested: 50 },
      });
    }
    expect(await eventCount(organiser.id)).toBe(0);
    expect(await balanceOf(organiser.id)).toBe(0);
  });

  it('never charges for a draft, whatever its capacity', async () => {
    const organiser = await organiserWithCredits(1);
    const res = await create(organiser, eventBody({ maxParticipants: 500, status: 'draft' }));
    expect(res.status).toBe(201);
    expect((res.json as WriteJson).data.credit).toEqual({ charged: false, balance: 1 });
  });

  it('creates one event and spends one credit for 30 concurrent confirmed requests with one key', async () => {
    const organiser = await organiserWithCredits(3);
    const key = randomUUID();
    const body = eventBody({ maxParticipants: 60 });
    const results = await Promise.all(Array.from({ length: 30 }, () => create(organiser, body, { key, confirm: true })));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ids = new Set(created.map((r) => (r.json as WriteJson).data.event.id));
    expect(ids.size).toBe(1);
    expect(await eventCount(organiser.id)).toBe(1);
    expect(await balanceOf(organiser.id)).toBe(2);
  });

  it('upgrades exactly as many events as there are credits under 30 concurrent keys', async () => {
    const organiser = await organiserWithCredits(5);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => create(organiser, eventBody({ title: `Big event ${i}`, maxParticipants: 100 }), { confirm: true })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 402)).toHaveLength(25);
    for (const r of results.filter((x) => x.status === 402)) {
      expect((r.json as ErrorJson).error.code).toBe('INSUFFICIENT_CREDITS');
    }
    expect(await balanceOf(organiser.id)).toBe(0);
    expect(await eventCount(organiser.id)).toBe(5);
    const [upgrades] = await getDb().select({ n: count() }).from(eventUpgrades).where(eq(eventUpgrades.teamId, organiser.id));
    expect(upgrades?.n).toBe(5);
  });
});

describe('validation', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a title under 3 characters', { title: 'ab' }, 'title'],
    ['a title over 120 characters', { title: 'x'.repeat(121) }, 'title'],
    ['a description over 5,000 characters', { description: 'x'.repeat(5001) }, 'description'],
    ['an end before the start', { endsAt: new Date(Date.now() + DAY).toISOString() }, 'endsAt'],
    ['a published event starting in the past', { startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + DAY).toISOString() }, 'startsAt'],
    ['a time zone that does not exist', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['an in-person event without an address', { location: { type: 'in_person', address: '' } }, 'location.address'],
    ['an online event with a link that is not http(s)', { location: { type: 'online', url: 'ftp://example.com/x' } }, 'location.url'],
    ['an unknown location type', { location: { type: 'teleport' } }, 'location.type'],
    ['zero participants', { maxParticipants: 0 }, 'maxParticipants'],
    ['more than 10,000 participants', { maxParticipants: 10_001 }, 'maxParticipants'],
    ['a fractional participant count', { maxParticipants: 2.5 }, 'maxParticipants'],
    ['an unknown visibility', { visibility: 'secret' }, 'visibility'],
    ['cancelled as the status of a new event', { status: 'cancelled' }, 'status'],
    ['a start that is not a date', { startsAt: 'tomorrow' }, 'startsAt'],
    ['an unknown field', { colour: 'red' }, 'colour'],
  ];

  it.each(cases)('rejects %s with 400 and the field named, writing nothing', async (_name, overrides, field) => {
    const organiser = await organiserWithCredits(0);
    const res = await create(organiser, eventBody(overrides));
    expect(res.status).toBe(400);
    const error = (res.json as ErrorJson).error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(error.fieldErrors ?? {})).toContain(field);
    expect(await eventCount(organiser.id)).toBe(0);
    const [records] = await getDb().select({ n: count() }).from(idempotencyKeys).where(eq(idempotencyKeys.userId, organiser.id));
    expect(records?.n).toBe(0);
  });

  it('requires an Idempotency-Key on POST, PATCH and DELETE', async () => {
    const organiser = await organiserWithCredits(0);
    // Its own event: another team's (or none) is 404 before the key is read (docs/api.md, "Teams").
    const { id } = await createdEvent(organiser, eventBody({ status: 'draft' }));
    const post = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, body: eventBody() });
    const patchRes = await call(patchEvent, 'PATCH', `/api/events/${id}`, { cookie: organiser.cookie, body: { title: 'New' }, params: { id } });
    const del = await call(deleteEvent, 'DELETE', `/api/events/${id}`, { cookie: organiser.cookie, params: { id } });
    for (const res of [post, patchRes, del]) {
      expect(res.status).toBe(400);
      expect((res.json as ErrorJson).error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
  });
});

describe('PATCH /api/events/:id', () => {
  it('puts a capacity raise over the limit through the same 402 step', async () => {
    const organiser = await organiserWithCredits(1);
    const event = await createdEvent(organiser, eventBody({ maxParticipants: 25 }));
    const key = randomUUID();
    const ask = await patch(organiser, event.id, { maxParticipants: 80 }, { key });
    expect(ask.status).toBe(402);
    expect((ask.json as ErrorJson).error).toMatchObject({
      code: 'CREDIT_CONFIRMATION_REQUIRED',
      details: { creditsRequired: 1, balance: 1, planLimit: 30, requested: 80 },
    });
    const confirmed = await patch(organiser, event.id, { maxParticipants: 80 }, { key, confirm: true });
    expect(confirmed.status).toBe(200);
    expect((confirmed.json as WriteJson).data).toMatchObject({ event: { maxParticipants: 80, version: 2 }, credit: { charged: true, balance: 0 } });
    expect(confirmed.headers.get('etag')).toBe('"2"');
  });

  it('charges nothing to edit an upgraded event within 1,000, and refuses past it', async () => {
    const organiser = await organiserWithCredits(2);
    const created = await create(organiser, eventBody({ maxParticipants: 50 }), { confirm: true });
    const event = (created.json as WriteJson).data.event;
    const raised = await patch(organiser, event.id, { maxParticipants: 1000 }, { ifMatch: '"1"' });
    expect(raised.status).toBe(200);
    expect((raised.json as WriteJson).data.credit).toEqual({ charged: false, balance: 1 });
    const beyond = await patch(organiser, event.id, { maxParticipants: 1001 }, { ifMatch: '"2"', confirm: true });
    expect(beyond.status).toBe(400);
    expect((beyond.json as ErrorJson).error.fieldErrors).toHaveProperty('maxParticipants');
    expect(await balanceOf(organiser.id)).toBe(1);
  });

  it('answers 412 for a stale If-Match and changes nothing, 428 without one', async () => {
    const organiser = await organiserWithCredits(0);
    const event = await createdEvent(organiser, eventBody());
    expect((await patch(organiser, event.id, { title: 'Second title' }, { ifMatch: '"1"' })).status).toBe(200);
    const stale = await patch(organiser, event.id, { title: 'Third title' }, { ifMatch: '"1"' });
    expect(stale.status).toBe(412);
    expect((stale.json as ErrorJson).error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const missing = await patch(organiser, event.id, { title: 'Third title' }, { ifMatch: null });
    expect(missing.status).toBe(428);
    expect((missing.json as ErrorJson).error.code).toBe('PRECONDITION_REQUIRED');
    const read = await call(getEvent, 'GET', `/api/events/${event.id}`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(read.json).toMatchObject({ data: { event: { title: 'Second title', version: 2 } } });
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('cancels a published event through PATCH and will not publish it again', async () => {
    const organiser = await organiserWithCredits(0);
    const event = await createdEvent(organiser, eventBody());
    const cancelled = await patch(organiser, event.id, { status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect((cancelled.json as WriteJson).data.event.status).toBe('cancelled');
    const back = await patch(organiser, event.id, { status: 'published' }, { ifMatch: '"2"' });
    expect(back.status).toBe(400);
    expect((back.json as ErrorJson).error.fieldErrors).toHaveProperty('status');
  });

  it('checks an end moved before the stored start against the stored event', async () => {
    const organiser = await organiserWithCredits(0);
    const event = await createdEvent(organiser, eventBody());
    const res = await patch(organiser, event.id, { endsAt: new Date(Date.now() + DAY).toISOString() });
    expect(res.status).toBe(400);
    expect((res.json as ErrorJson).error.fieldErrors).toHaveProperty('endsAt');
  });

  it('charges for publishing a draft over the limit', async () => {
    const organiser = await organiserWithCredits(1);
    const draft = await createdEvent(organiser, eventBody({ status: 'draft', maxParticipants: 40 }));
    const key = randomUUID();
    expect((await patch(organiser, draft.id, { status: 'published' }, { key })).status).toBe(402);
    const published = await patch(organiser, draft.id, { status: 'published' }, { key, confirm: true });
    expect(published.status).toBe(200);
    expect((published.json as WriteJson).data.credit).toEqual({ charged: true, balance: 0 });
  });
});

describe('DELETE /api/events/:id', () => {
  it('deletes a draft with 204 and refuses a published event with 409 EVENT_NOT_DRAFT', async () => {
    const organiser = await organiserWithCredits(0);
    const draft = await createdEvent(organiser, eventBody({ status: 'draft' }));
    const published = await createdEvent(organiser, eventBody());
    const del = (id: string) => call(deleteEvent, 'DELETE', `/api/events/${id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id } });
    expect((await del(draft.id)).status).toBe(204);
    const refused = await del(published.id);
    expect(refused.status).toBe(409);
    expect((refused.json as ErrorJson).error.code).toBe('EVENT_NOT_DRAFT');
    expect(await eventCount(organiser.id)).toBe(1);
  });

  it('answers a retried delete with its stored 204 once the event is gone, never 404; another key is 404', async () => {
    const organiser = await organiserWithCredits(0);
    const draft = await createdEvent(organiser, eventBody({ status: 'draft' }));
    const key = randomUUID();
    const del = (k: string) => call(deleteEvent, 'DELETE', `/api/events/${draft.id}`, { cookie: organiser.cookie, key: k, params: { id: draft.id } });
    expect((await del(key)).status).toBe(204);
    // The answer was lost; the client sends the same request again: the event has no team to check any more.
    const again = await del(key);
    expect(again.status).toBe(204);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await del(randomUUID())).status).toBe(404);
  });
});

describe("another organiser's events", () => {
  it('are 404 to read (published or not: an event of a team the caller is not in), edit and delete', async () => {
    const owner = await organiserWithCredits(0);
    const stranger = await organiserWithCredits(0);
    const draft = await createdEvent(owner, eventBody({ status: 'draft' }));
    const published = await createdEvent(owner, eventBody());

    const read = (id: string) => call(getEvent, 'GET', `/api/events/${id}`, { cookie: stranger.cookie, params: { id } });
    expect((await read(draft.id)).status).toBe(404);
    expect((await read(published.id)).status).toBe(404);
    for (const event of [draft, published]) {
      const edit = await patch(stranger, event.id, { title: 'Hijacked' });
      expect(edit.status).toBe(404);
      const del = await call(deleteEvent, 'DELETE', `/api/events/${event.id}`, { cookie: stranger.cookie, key: randomUUID(), params: { id: event.id } });
      expect(del.status).toBe(404);
    }
    const list = await call(listEvents, 'GET', '/api/events', { cookie: stranger.cookie });
    expect(list.json).toMatchObject({ data: { events: [], nextCursor: null } });
    expect((await read('not-a-uuid')).status).toBe(404);
  });
});

describe('GET /api/events and /api/credits', () => {
  it('lists the caller’s events newest first, page by page', async () => {
    const organiser = await organiserWithCredits(0);
    const titles = ['First event', 'Second event', 'Third event'];
    for (const title of titles) await createdEvent(organiser, eventBody({ title }));
    const first = await call(listEvents, 'GET', '/api/events?limit=2', { cookie: organiser.cookie });
    const page1 = (first.json as { data: { events: EventJson[]; nextCursor: string | null } }).data;
    expect(page1.events.map((e) => e.title)).toEqual(['Third event', 'Second event']);
    expect(page1.nextCursor).toBeTruthy();
    const second = await call(listEvents, 'GET', `/api/events?limit=2&cursor=${page1.nextCursor}`, { cookie: organiser.cookie });
    const page2 = (second.json as { data: { events: EventJson[]; nextCursor: string | null } }).data;
    expect(page2.events.map((e) => e.title)).toEqual(['First event']);
    expect(page2.nextCursor).toBeNull();
    const tooMany = await call(listEvents, 'GET', '/api/events?limit=500', { cookie: organiser.cookie });
    expect(tooMany.status).toBe(400);
  });

  it('shows the balance and the ledger', async () => {
    const organiser = await organiserWithCredits(4);
    await create(organiser, eventBody({ maxParticipants: 45 }), { confirm: true });
    const res = await call(getCredits, 'GET', '/api/credits', { cookie: organiser.cookie });
    expect(res.status).toBe(200);
    const data = (res.json as { data: { balance: number; ledger: Array<{ delta: number; reason: string }> } }).data;
    expect(data.balance).toBe(3);
    expect(data.ledger.map((l) => [l.delta, l.reason])).toEqual([
      [-1, 'event_upgrade'],
      [4, 'test grant'],
    ]);
  });

  it('answers a method the route does not serve with 405 in the envelope and Allow', async () => {
    const res = await call(putEvents, 'PUT', '/api/events', { body: {}, cookie: 'NEXT_LOCALE=ru' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
    expect(res.json).toMatchObject({ success: false, error: { code: 'METHOD_NOT_ALLOWED', message: 'Этот метод здесь не поддерживается.' } });
  });

  it('answers 401 without a session', async () => {
    const res = await call(listEvents, 'GET', '/api/events');
    expect(res.status).toBe(401);
  });
});
