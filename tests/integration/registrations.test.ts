// Public event pages and registrations (docs/api.md): every row of the
// contract's tables, on real Postgres through the exported route handlers.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { PATCH as patchEvent } from '@/app/api/events/[id]/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as listRegistrations } from '@/app/api/events/[id]/registrations/route';
import { GET as registrationsCsv, POST as registrationsCsvPost } from '@/app/api/events/[id]/registrations.csv/route';
import { POST as organiserCancel } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { POST as organiserCheckIn } from '@/app/api/events/[id]/registrations/[rid]/check-in/route';
import { GET as getPublicEvent, POST as postPublicEvent } from '@/app/api/public/events/[slug]/route';
import { GET as getCalendar } from '@/app/api/public/events/[slug]/calendar.ics/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { GET as getRegistration } from '@/app/api/public/registrations/[token]/route';
import { POST as postCancel } from '@/app/api/public/registrations/[token]/cancel/route';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { events, registrations } from '@/lib/db/schema';
import { buildRequest, call, createOrganiser, type Organiser } from './support';
import { validEventBody, type EventBody } from '../support/event-body';

afterAll(closeDb);

type Seats = { capacity: number; confirmed: number; waitlisted: number; available: number };
type EventJson = { id: string; slug: string; version: number; status: string; waitlist: boolean; seats: Seats; teamId?: string };
type RegistrationJson = { id: string; status: string; position: number | null; name: string; email: string; createdAt: string };
type Created = { registration: RegistrationJson; manageUrl: string };
type ErrorJson = { success: false; error: { code: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> } };

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const errorOf = (res: { json: Record<string, unknown> | null }) => (res.json as ErrorJson).error;

let organiser: Organiser;
async function owner(): Promise<Organiser> {
  organiser ??= await createOrganiser();
  return organiser;
}

async function createEvent(overrides: Partial<EventBody> = {}): Promise<EventJson> {
  const o = await owner();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody(overrides) });
  expect(res.status).toBe(201);
  return data<{ event: EventJson }>(res).event;
}

function registerFor(slug: string, body: unknown, options: { key?: string; address?: string; cookie?: string } = {}) {
  return call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, {
    key: options.key ?? randomUUID(),
    body,
    params: { slug },
    cookie: options.cookie,
    headers: options.address ? { 'x-forwarded-for': options.address } : {},
  });
}

async function registered(slug: string, email: string, name = 'Ann'): Promise<Created> {
  const res = await registerFor(slug, { name, email });
  expect(res.status, res.text).toBe(201);
  return data<Created>(res);
}

const tokenOf = (manageUrl: string) => manageUrl.replace(/^\/r\//, '');

function cancel(token: string, key = randomUUID()) {
  return call(postCancel, 'POST', `/api/public/registrations/${token}/cancel`, { key, params: { token } });
}

function readRegistration(token: string) {
  return call(getRegistration, 'GET', `/api/public/registrations/${token}`, { params: { token } });
}

async function seatsOf(eventId: string): Promise<Seats> {
  const [row] = await getDb().select().from(events).where(eq(events.id, eventId));
  if (!row) throw new Error('no event');
  const counted = await getPool().query<{ status: string; n: number }>(
    'select status, count(*)::int as n from registrations where event_id = $1 group by status',
    [eventId],
  );
  const n = (status: string) => counted.rows.find((r) => r.status === status)?.n ?? 0;
  // The trigger-kept counters agree with the rows.
  expect({ confirmed: row.confirmedCount, waitlisted: row.waitlistedCount }).toEqual({ confirmed: n('confirmed'), waitlisted: n('waitlisted') });
  return { capacity: row.maxParticipants, confirmed: row.confirmedCount, waitlisted: row.waitlistedCount, available: row.maxParticipants - row.confirmedCount };
}

async function waitlistOrder(eventId: string): Promise<string[]> {
  const rows = await getDb()
    .select({ email: registrations.email })
    .from(registrations)
    .where(and(eq(registrations.eventId, eventId), eq(registrations.status, 'waitlisted')))
    .orderBy(registrations.seq);
  return rows.map((r) => r.email);
}

describe('events carry slug, waitlist and seats', () => {
  it('in every organiser answer, with a URL-safe slug from the title', async () => {
    const event = await createEvent({ title: 'Spring Meetup: Talks!' });
    expect(event.slug).toMatch(/^spring-meetup-talks-[0-9a-f]{12}$/);
    expect(event.waitlist).toBe(true);
    expect(event.seats).toEqual({ capacity: 20, confirmed: 0, waitlisted: 0, available: 20 });
    const noWaitlist = await createEvent({ waitlist: false });
    expect(noWaitlist.waitlist).toBe(false);
  });

  it('never changes the slug (the database refuses)', async () => {
    const event = await createEvent();
    await expect(getPool().query("update events set slug = 'other-slug' where id = $1", [event.id])).rejects.toMatchObject({ code: '23514' });
  });
});

describe('GET /api/public/events/:slug', () => {
  it('answers a published event and its seats, without the owner, and gives a guest cookie', async () => {
    const event = await createEvent({ visibility: 'unlisted' });
    const res = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect(res.status).toBe(200);
    const body = data<{ event: EventJson; seats: Seats }>(res);
    expect(body.event).toMatchObject({ id: event.id, slug: event.slug, status: 'published' });
    expect(body.event.teamId).toBeUndefined();
    expect(res.text).not.toContain((await owner()).email);
    expect(body.seats).toEqual({ capacity: 20, confirmed: 0, waitlisted: 0, available: 20, held: 0 });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('guest='));
    expect(cookie).toMatch(/^guest=[A-Za-z0-9_-]{32}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);

    const again = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, {
      params: { slug: event.slug },
      cookie: cookie?.split(';')[0],
    });
    expect(again.headers.getSetCookie().some((c) => c.startsWith('guest='))).toBe(false);
  });

  it('keeps a cancelled event readable, and answers 404 for drafts, unknown and malformed slugs', async () => {
    const cancelled = await createEvent();
    const o = await owner();
    const patched = await call(patchEvent, 'PATCH', `/api/events/${cancelled.id}`, {
      cookie: o.cookie,
      key: randomUUID(),
      body: { status: 'cancelled' },
      headers: { 'if-match': '"1"' },
      params: { id: cancelled.id },
    });
    expect(patched.status).toBe(200);
    const res = await call(getPublicEvent, 'GET', `/api/public/events/${cancelled.slug}`, { params: { slug: cancelled.slug } });
    expect(res.status).toBe(200);
    expect(data<{ event: EventJson }>(res).event.status).toBe('cancelled');

    const draft = await createEvent({ status: 'draft' });
    for (const slug of [draft.slug, 'no-such-event-000000000000', 'Not A Slug', '%00']) {
      const missing = await call(getPublicEvent, 'GET', `/api/public/events/${encodeURIComponent(slug)}`, { params: { slug } });
      expect(missing.status, slug).toBe(404);
      expect(errorOf(missing).code).toBe('NOT_FOUND');
    }
  });

  it('serves GET only: 405 with Allow', async () => {
    const res = await call(postPublicEvent, 'POST', '/api/public/events/x', { params: { slug: 'x' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});

describe('POST /api/public/events/:slug/registrations', () => {
  it('confirms while seats are free: 201 with the manage link, no cookie set, and a replay answers the same', async () => {
    const event = await createEvent();
    const key = randomUUID();
    const body = { name: 'Ann Lee', email: 'Ann.Lee@Example.com' };
    const first = await registerFor(event.slug, body, { key });
    expect(first.status).toBe(201);
    expect(first.headers.get('x-idempotency-stored')).toBe('true');
    expect(first.headers.getSetCookie()).toEqual([]);
    const created = data<Created>(first);
    expect(created.registration).toMatchObject({ status: 'confirmed', position: null, name: 'Ann Lee', email: 'Ann.Lee@Example.com' });
    expect(created.manageUrl).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);

    const replay = await registerFor(event.slug, body, { key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(data<Created>(replay)).toEqual(created);

    const rows = await getDb().select().from(registrations).where(eq(registrations.eventId, event.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.emailNormalized).toBe('ann.lee@example.com');
    // Only the token's SHA-256 is stored.
    expect(rows[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(tokenOf(created.manageUrl));
    expect(await seatsOf(event.id)).toEqual({ capacity: 20, confirmed: 1, waitlisted: 0, available: 19 });
  });

  it('needs an Idempotency-Key and a valid body', async () => {
    const event = await createEvent();
    const noKey = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      body: { name: 'A', email: 'a@example.com' },
      params: { slug: event.slug },
    });
    expect(noKey.status).toBe(400);
    expect(errorOf(noKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    const invalid = await registerFor(event.slug, { name: '', email: 'not-an-email', extra: 1 });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(Object.keys(errorOf(invalid).fieldErrors ?? {}).sort()).toEqual(['email', 'extra', 'name']);
    expect(await seatsOf(event.id)).toMatchObject({ confirmed: 0 });
  });

  it('refuses the same email in any case: 409 ALREADY_REGISTERED; after a cancellation it may register again', async () => {
    const event = await createEvent();
    const first = await registered(event.slug, 'bob@example.com');
    const again = await registerFor(event.slug, { name: 'Bob', email: 'BOB@Example.COM' });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('ALREADY_REGISTERED');
    expect(errorOf(again).details).toBeUndefined();

    expect((await cancel(tokenOf(first.manageUrl))).status).toBe(200);
    await registered(event.slug, 'Bob@example.com');
  });

  it('lets exactly one of many concurrent registrations of one email through', async () => {
    const event = await createEvent();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => registerFor(event.slug, { name: 'C', email: i % 2 ? 'c@example.com' : 'C@EXAMPLE.com' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => errorOf(r).code)).toEqual(Array(7).fill('ALREADY_REGISTERED'));
  });

  it('waitlists when full, with the 1-based position, and 409 EVENT_FULL without a waitlist', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    await registered(event.slug, 'one@example.com');
    const second = await registered(event.slug, 'two@example.com');
    const third = await registered(event.slug, 'three@example.com');
    expect(second.registration).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(third.registration).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(await seatsOf(event.id)).toEqual({ capacity: 1, confirmed: 1, waitlisted: 2, available: 0 });

    const closed = await createEvent({ maxParticipants: 1, waitlist: false });
    await registered(closed.slug, 'one@example.com');
    const full = await registerFor(closed.slug, { name: 'Two', email: 'two@example.com' });
    expect(full.status).toBe(409);
    expect(errorOf(full).code).toBe('EVENT_FULL');
  });

  it('is closed for cancelled and started events (409 REGISTRATION_CLOSED), and 404 for drafts and unknown slugs', async () => {
    const started = await createEvent();
    await getDb().update(events).set({ startsAt: sql`now() - interval '1 hour'` }).where(eq(events.id, started.id));
    const res = await registerFor(started.slug, { name: 'Late', email: 'late@example.com' });
    expect(res.status).toBe(409);
    expect(errorOf(res).code).toBe('REGISTRATION_CLOSED');

    const cancelled = await createEvent();
    await getDb().update(events).set({ status: 'cancelled' }).where(eq(events.id, cancelled.id));
    expect(errorOf(await registerFor(cancelled.slug, { name: 'X', email: 'x@example.com' })).code).toBe('REGISTRATION_CLOSED');

    const draft = await createEvent({ status: 'draft' });
    expect((await registerFor(draft.slug, { name: 'X', email: 'x@example.com' })).status).toBe(404);
    expect((await registerFor('no-such-event', { name: 'X', email: 'x@example.com' })).status).toBe(404);
  });

  it('allows 20 registrations per address per event per hour, then 429 with Retry-After', async () => {
    const event = await createEvent({ maxParticipants: 30 });
    const address = '203.0.113.77';
    for (let i = 0; i < 20; i += 1) {
      const res = await registerFor(event.slug, { name: 'N', email: `n${i}@example.com` }, { address });
      expect(res.status, res.text).toBe(201);
    }
    const limited = await registerFor(event.slug, { name: 'N', email: 'n20@example.com' }, { address });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address, or another event from the same address, is not limited.
    expect((await registerFor(event.slug, { name: 'N', email: 'other@example.com' }, { address: '203.0.113.78' })).status).toBe(201);
    const other = await createEvent();
    expect((await registerFor(other.slug, { name: 'N', email: 'n0@example.com' }, { address })).status).toBe(201);
  });

  it('confirms exactly the capacity under 60 concurrent registrations and waitlists the rest at positions 1..50', async () => {
    const event = await createEvent({ maxParticipants: 10 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => registerFor(event.slug, { name: `P${i}`, email: `p${i}@example.com` })),
    );
    for (const r of results) expect(r.status, r.text).toBe(201);
    const created = results.map((r) => data<Created>(r).registration);
    expect(created.filter((r) => r.status === 'confirmed')).toHaveLength(10);
    const positions = created.filter((r) => r.status === 'waitlisted').map((r) => r.position);
    expect([...positions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await seatsOf(event.id)).toEqual({ capacity: 10, confirmed: 10, waitlisted: 50, available: 0 });
  });
});

describe('GET /api/public/registrations/:token', () => {
  it('answers the registration with its current waitlist position and the event', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    const first = await registered(event.slug, 'first@example.com');
    const second = await registered(event.slug, 'second@example.com');
    const res = await readRegistration(tokenOf(second.manageUrl));
    expect(res.status).toBe(200);
    const body = data<{ registration: RegistrationJson; event: EventJson }>(res);
    expect(body.registration).toMatchObject({ id: second.registration.id, status: 'waitlisted', position: 1 });
    expect(body.event).toMatchObject({ id: event.id, slug: event.slug });
    expect(body.event.teamId).toBeUndefined();

    await cancel(tokenOf(first.manageUrl));
    const promoted = data<{ registration: RegistrationJson }>(await readRegistration(tokenOf(second.manageUrl)));
    expect(promoted.registration).toMatchObject({ status: 'confirmed', position: null });
  });

  it('answers 404 for unknown and malformed tokens', async () => {
    for (const token of ['A'.repeat(43), 'short', `${'A'.repeat(42)}!`]) {
      const res = await readRegistration(token);
      expect(res.status, token).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
  });
});

describe('POST /api/public/registrations/:token/cancel', () => {
  it('cancels, promotes the first waitlisted in the same transaction, and a repeat answers 200 unchanged', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    const first = await registered(event.slug, 'a1@example.com');
    const second = await registered(event.slug, 'a2@example.com');
    await registered(event.slug, 'a3@example.com');

    const key = randomUUID();
    const res = await cancel(tokenOf(first.manageUrl), key);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(data<{ registration: RegistrationJson }>(res).registration).toMatchObject({ id: first.registration.id, status: 'cancelled', position: null });
    expect(await seatsOf(event.id)).toEqual({ capacity: 1, confirmed: 1, waitlisted: 1, available: 0 });
    const [promoted] = await getDb().select().from(registrations).where(eq(registrations.id, second.registration.id));
    expect(promoted?.status).toBe('confirmed');

    const replay = await cancel(tokenOf(first.manageUrl), key);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    const repeat = await cancel(tokenOf(first.manageUrl));
    expect(repeat.status).toBe(200);
    expect(data<{ registration: RegistrationJson }>(repeat).registration.status).toBe('cancelled');
    expect(await waitlistOrder(event.id)).toEqual(['a3@example.com']);
  });

  it('needs a key; 404 for an unknown token; 409 REGISTRATION_CLOSED once the event is cancelled', async () => {
    const event = await createEvent();
    const reg = await registered(event.slug, 'z@example.com');
    const token = tokenOf(reg.manageUrl);
    const noKey = await call(postCancel, 'POST', `/api/public/registrations/${token}/cancel`, { params: { token } });
    expect(errorOf(noKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect((await cancel('B'.repeat(43))).status).toBe(404);

    await getDb().update(events).set({ status: 'cancelled' }).where(eq(events.id, event.id));
    const closed = await cancel(token);
    expect(closed.status).toBe(409);
    expect(errorOf(closed).code).toBe('REGISTRATION_CLOSED');
  });

  it('promotes in waitlist order under concurrent cancellations', async () => {
    const event = await createEvent({ maxParticipants: 5 });
    const confirmed: Created[] = [];
    for (let i = 0; i < 5; i += 1) confirmed.push(await registered(event.slug, `c${i}@example.com`));
    for (let i = 0; i < 10; i += 1) await registered(event.slug, `w${i}@example.com`);
    const results = await Promise.all(confirmed.map((c) => cancel(tokenOf(c.manageUrl))));
    for (const r of results) expect(r.status).toBe(200);
    const now = await getDb()
      .select({ email: registrations.email })
      .from(registrations)
      .where(and(eq(registrations.eventId, event.id), eq(registrations.status, 'confirmed')));
    expect(now.map((r) => r.email).sort()).toEqual(['w0@example.com', 'w1@example.com', 'w2@example.com', 'w3@example.com', 'w4@example.com']);
    expect(await waitlistOrder(event.id)).toEqual(['w5@example.com', 'w6@example.com', 'w7@example.com', 'w8@example.com', 'w9@example.com']);
    expect(await seatsOf(event.id)).toEqual({ capacity: 5, confirmed: 5, waitlisted: 5, available: 0 });
  });
});

describe('editing capacity', () => {
  async function setCapacity(event: EventJson, version: number, maxParticipants: number) {
    const o = await owner();
    return call(patchEvent, 'PATCH', `/api/events/${event.id}`, {
      cookie: o.cookie,
      key: randomUUID(),
      body: { maxParticipants },
      headers: { 'if-match': `"${version}"` },
      params: { id: event.id },
    });
  }

  it('refuses a capacity below the confirmed count: 409 CAPACITY_BELOW_CONFIRMED with details.confirmed', async () => {
    const event = await createEvent({ maxParticipants: 5 });
    for (let i = 0; i < 3; i += 1) await registered(event.slug, `k${i}@example.com`);
    const res = await setCapacity(event, 1, 2);
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'CAPACITY_BELOW_CONFIRMED', details: { confirmed: 3 } });
    const ok = await setCapacity(event, 1, 3);
    expect(ok.status).toBe(200);
    expect(data<{ event: EventJson }>(ok).event.seats).toEqual({ capacity: 3, confirmed: 3, waitlisted: 0, available: 0 });
  });

  it('promotes waitlisted registrations in order when capacity rises, in the same transaction', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    for (let i = 0; i < 4; i += 1) await registered(event.slug, `r${i}@example.com`);
    const res = await setCapacity(event, 1, 3);
    expect(res.status).toBe(200);
    expect(data<{ event: EventJson }>(res).event.seats).toEqual({ capacity: 3, confirmed: 3, waitlisted: 1, available: 0 });
    expect(await waitlistOrder(event.id)).toEqual(['r3@example.com']);
  });
});

describe('the capacity invariant in the database', () => {
  it('refuses a confirmed registration over capacity, whoever sends the SQL', async () => {
    const event = await createEvent({ maxParticipants: 2 });
    await registered(event.slug, 'one@example.com');
    await registered(event.slug, 'two@example.com');
    await expect(
      getPool().query(
        "insert into registrations (event_id, name, email, status, token_hash) values ($1, 'X', 'x@example.com', 'confirmed', $2)",
        [event.id, randomUUID()],
      ),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(getPool().query('update events set max_participants = 1 where id = $1', [event.id])).rejects.toMatchObject({ code: '23514' });
    // The counters follow the rows: nobody writes them directly.
    await expect(getPool().query('update events set confirmed_count = 0 where id = $1', [event.id])).rejects.toMatchObject({ code: '23514' });
    await expect(getPool().query('update events set waitlisted_count = 5 where id = $1', [event.id])).rejects.toMatchObject({ code: '23514' });
    expect(await seatsOf(event.id)).toEqual({ capacity: 2, confirmed: 2, waitlisted: 0, available: 0 });
    // Deleting the event (e.g. with its organiser) deletes its registrations with it.
    await getPool().query('delete from events where id = $1', [event.id]);
    expect((await getPool().query('select 1 from registrations where event_id = $1', [event.id])).rowCount).toBe(0);
  });
});

describe('GET /api/public/events/:slug/calendar.ics', () => {
  it('answers text/calendar with UID <id>@<host>, SEQUENCE = version and DTSTART in the zone with its VTIMEZONE', async () => {
    const event = await createEvent({ timezone: 'Europe/Moscow' });
    const res = await getCalendar(buildRequest('GET', `/api/public/events/${event.slug}/calendar.ics`), {
      params: Promise.resolve({ slug: event.slug }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = (await res.text()).replace(/\r\n[ \t]/g, '');
    expect(text).toContain(`UID:${event.id}@localhost\r\n`);
    expect(text).toContain(`SEQUENCE:${event.version}\r\n`);
    expect(text).toMatch(/DTSTART;TZID=Europe\/Moscow:\d{8}T\d{6}\r\n/);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow');
  });

  it('answers 404 in the envelope for drafts and unknown slugs', async () => {
    const draft = await createEvent({ status: 'draft' });
    for (const slug of [draft.slug, 'no-such-event']) {
      const res = await call(getCalendar, 'GET', `/api/public/events/${slug}/calendar.ics`, { params: { slug } });
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('NOT_FOUND');
    }
  });
});

describe('GET /api/events/:id/registrations', () => {
  type ListJson = { registrations: (RegistrationJson & { checkedInAt: string | null })[]; nextCursor: string | null; counts: Record<string, number> };
  const list = async (organiserCookie: string, id: string, search = '') =>
    call(listRegistrations, 'GET', `/api/events/${id}/registrations${search}`, { cookie: organiserCookie, params: { id } });

  it('answers the owner oldest first with positions, filters and pages, and counts over all of them', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    const first = await registered(event.slug, 'l0@example.com', 'Lena');
    await registered(event.slug, 'l1@example.com', 'Max');
    await registered(event.slug, 'l2@example.com', 'Lev 100%');
    await cancel(tokenOf(first.manageUrl));
    const o = await owner();

    const all = await list(o.cookie, event.id);
    expect(all.status).toBe(200);
    const body = data<ListJson>(all);
    expect(body.counts).toEqual({ confirmed: 1, waitlisted: 1, cancelled: 1 });
    expect(body.registrations.map((r) => [r.email, r.status, r.position])).toEqual([
      ['l0@example.com', 'cancelled', null],
      ['l1@example.com', 'confirmed', null],
      ['l2@example.com', 'waitlisted', 1],
    ]);

    const waitlisted = data<ListJson>(await list(o.cookie, event.id, '?status=waitlisted'));
    expect(waitlisted.registrations.map((r) => r.email)).toEqual(['l2@example.com']);
    expect(waitlisted.counts).toEqual(body.counts);
    const searched = data<ListJson>(await list(o.cookie, event.id, `?q=${encodeURIComponent('100%')}`));
    expect(searched.registrations.map((r) => r.name)).toEqual(['Lev 100%']);

    const page1 = data<ListJson>(await list(o.cookie, event.id, '?limit=2'));
    expect(page1.registrations).toHaveLength(2);
    const page2 = data<ListJson>(await list(o.cookie, event.id, `?limit=2&cursor=${page1.nextCursor}`));
    expect(page2.registrations.map((r) => r.email)).toEqual(['l2@example.com']);
    expect(page2.nextCursor).toBeNull();
    expect((await list(o.cookie, event.id, '?cursor=abc')).status).toBe(400);
  });

  it('answers 404 to anyone but the owner', async () => {
    const event = await createEvent();
    const stranger = await createOrganiser();
    expect((await list(stranger.cookie, event.id)).status).toBe(404);
    expect((await list(stranger.cookie, 'not-a-uuid')).status).toBe(404);
  });
});

describe('the organiser cancels and checks in', () => {
  const act = (handler: typeof organiserCancel, cookie: string, id: string, rid: string, action: string, key = randomUUID()) =>
    call(handler, 'POST', `/api/events/${id}/registrations/${rid}/${action}`, { cookie, key, params: { id, rid } });

  it('cancels (promoting the first waitlisted, even after the start), checks in once, and 409 NOT_CONFIRMED otherwise', async () => {
    const event = await createEvent({ maxParticipants: 1 });
    const a = await registered(event.slug, 'oa@example.com');
    const b = await registered(event.slug, 'ob@example.com');
    const o = await owner();
    await getDb().update(events).set({ startsAt: sql`now() - interval '1 hour'` }).where(eq(events.id, event.id));

    const waiting = await act(organiserCheckIn, o.cookie, event.id, b.registration.id, 'check-in');
    expect(waiting.status).toBe(409);
    expect(errorOf(waiting).code).toBe('NOT_CONFIRMED');

    const cancelled = await act(organiserCancel, o.cookie, event.id, a.registration.id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(data<{ registration: RegistrationJson }>(cancelled).registration.status).toBe('cancelled');
    expect(await seatsOf(event.id)).toEqual({ capacity: 1, confirmed: 1, waitlisted: 0, available: 0 });

    const first = await act(organiserCheckIn, o.cookie, event.id, b.registration.id, 'check-in');
    expect(first.status).toBe(200);
    const at = data<{ registration: { checkedInAt: string } }>(first).registration.checkedInAt;
    expect(at).toEqual(expect.any(String));
    const again = await act(organiserCheckIn, o.cookie, event.id, b.registration.id, 'check-in');
    expect(data<{ registration: { checkedInAt: string } }>(again).registration.checkedInAt).toBe(at);
  });

  it('answers 404 to anyone but the owner, and for registrations of other events', async () => {
    const event = await createEvent();
    const reg = await registered(event.slug, 'os@example.com');
    const stranger = await createOrganiser();
    expect((await act(organiserCancel, stranger.cookie, event.id, reg.registration.id, 'cancel')).status).toBe(404);
    expect((await act(organiserCheckIn, stranger.cookie, event.id, reg.registration.id, 'check-in')).status).toBe(404);
    const other = await createEvent();
    const o = await owner();
    expect((await act(organiserCancel, o.cookie, other.id, reg.registration.id, 'cancel')).status).toBe(404);
    expect((await act(organiserCheckIn, o.cookie, other.id, reg.registration.id, 'check-in')).status).toBe(404);
    expect(await seatsOf(event.id)).toMatchObject({ confirmed: 1 });
  });
});

describe('GET /api/events/:id/registrations.csv', () => {
  const csvOf = (cookie: string | undefined, id: string) =>
    registrationsCsv(buildRequest('GET', `/api/events/${id}/registrations.csv`, { cookie }), { params: Promise.resolve({ id }) });

  it('answers the owner UTF-8 CSV with a BOM, a header row and formulas neutralised', async () => {
    const event = await createEvent();
    await registered(event.slug, 'csv@example.com', '=HYPERLINK("x")');
    const o = await owner();
    const res = await csvOf(o.cookie, event.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const [header, row] = text.split('\r\n');
    expect(header).toBe('id,name,email,status,position,created_at,checked_in_at,cancelled_at');
    expect(row).toContain(`"'=HYPERLINK(""x"")",csv@example.com,confirmed,,`);
  });

  it('streams every registration across its pages, oldest first, one row each', async () => {
    const event = await createEvent({ maxParticipants: 30 });
    // 1,203 rows (more than two of the export's 500-row pages), written straight to the table for speed.
    await getPool().query(
      `insert into registrations (event_id, name, email, status, token_hash)
       select $1::uuid, 'Гость ' || n, 'g' || n || '@example.com', case when n <= 30 then 'confirmed' else 'waitlisted' end, md5($1::text || n)
       from generate_series(1, 1203) n order by n`,
      [event.id],
    );
    const o = await owner();
    const res = await csvOf(o.cookie, event.id);
    expect(res.status).toBe(200);
    expect(res.body).toBeInstanceOf(ReadableStream);
    const lines = (await res.text()).split('\r\n');
    expect(lines).toHaveLength(1 + 1203 + 1);
    expect(lines[1]).toContain(',Гость 1,g1@example.com,confirmed,,');
    expect(lines[30]).toContain(',Гость 30,g30@example.com,confirmed,,');
    expect(lines[31]).toContain(',Гость 31,g31@example.com,waitlisted,1,');
    expect(lines[1203]).toContain(',Гость 1203,g1203@example.com,waitlisted,1173,');
    expect(new Set(lines.slice(1, -1).map((line) => line.split(',')[0])).size).toBe(1203);
  });

  it('answers 401 without a session and 404 to anyone but the owner, in the envelope', async () => {
    const event = await createEvent();
    expect((await csvOf(undefined, event.id)).status).toBe(401);
    const stranger = await createOrganiser();
    const res = await csvOf(stranger.cookie, event.id);
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe('NOT_FOUND');
  });

  it('answers 404 in the envelope for an id that is not an event id, and 405 with Allow for other methods', async () => {
    const o = await owner();
    const res = await csvOf(o.cookie, 'not-a-uuid');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await res.json()) as ErrorJson).error.code).toBe('NOT_FOUND');
    const post = await call(registrationsCsvPost, 'POST', '/api/events/x/registrations.csv', { cookie: o.cookie, params: { id: 'x' } });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});
