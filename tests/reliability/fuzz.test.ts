// Bad input, property-based (fast-check), against the running server: bodies,
// query strings, headers (Idempotency-Key, If-Match, Origin, Content-Type) and
// sizes; and malformed cookies, lone surrogates, deep nesting, dates
// of any year, list cursors of any shape and long headers. Never a 500, always
// the envelope, and a rejected request writes nothing.
import { randomUUID } from 'node:crypto';
import { and, count, eq, ne } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantCredits } from '@/lib/billing/credits';
import { creditLedger, events, idempotencyKeys } from '@/lib/db/schema';
import { eventBody, eventIdOf, isEnvelope, request, signUp, type ApiResponse, type Organiser } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { startScenario, type Scenario } from './harness/scenario';

const printable = (max: number, min = 0) => fc.stringMatching(new RegExp(`^[ -~]{${min},${max}}$`));
// Path ids are never empty: `/api/events/` is answered by Next's own trailing-slash
// redirect (308, no body) before any route runs.
const pathId = printable(40, 1).map((s) => encodeURIComponent(s));

const idempotencyKey = fc.oneof(
  fc.uuid().map((u) => u),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => `"${u}"`),
  fc.uuid().map((u) => `${u}x`),
  printable(60),
  fc.constant(undefined),
);
const origin = fc.oneof(fc.constant(undefined), fc.constant('SELF'), fc.webUrl().map((u) => new URL(u).origin), printable(40));
const contentType = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'),
  printable(40),
);
/** Event-shaped bodies with fields dropped, replaced or added, and bodies of any JSON or none at all. */
const body = fc.oneof(
  fc.record(
    {
      title: fc.oneof(fc.string({ maxLength: 130 }), fc.integer(), fc.constant(null)),
      description: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(null)),
      startsAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 30 })),
      endsAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 30 })),
      timezone: fc.oneof(fc.constantFrom('UTC', 'Europe/Moscow', 'Mars/Olympus', ''), fc.string({ maxLength: 40 })),
      location: fc.oneof(
        fc.record({ type: fc.constantFrom('in_person', 'online', 'moon'), address: fc.string({ maxLength: 50 }), url: fc.oneof(fc.webUrl(), fc.string()) }, { requiredKeys: ['type'] }),
        fc.anything(),
      ),
      maxParticipants: fc.oneof(fc.integer({ min: -10, max: 2000 }), fc.double(), fc.string({ maxLength: 5 })),
      visibility: fc.constantFrom('public', 'unlisted', 'secret'),
      status: fc.constantFrom('draft', 'published', 'cancelled', 'deleted'),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ).map((fields) => JSON.stringify({ ...eventBody(), ...fields })),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
  fc.constant(undefined),
);

type Writes = { events: number; ledger: number; settled: number };

describe('bad input against the running server', () => {
  let scenario: Scenario;
  let url: string;
  let organiser: Organiser;
  let target: { id: string };

  beforeAll(async () => {
    scenario = await startScenario('fuzz', { instances: [{ name: 'a' }] });
    url = scenario.instances[0]!.url;
    organiser = await signUp(url, 'Fuzzed');
    await grantCredits(scenario.database.db, { teamId: organiser.id, amount: 3, reason: 'test_grant' });
    const created = await request(url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody({ status: 'draft' }) });
    target = { id: eventIdOf(created)! };
  });
  afterAll(async () => scenario?.close());

  async function writes(): Promise<Writes> {
    const db = scenario.database.db;
    const [e] = await db.select({ n: count() }).from(events).where(eq(events.teamId, organiser.id));
    const [l] = await db.select({ n: count() }).from(creditLedger).where(eq(creditLedger.teamId, organiser.id));
    // Records that stand for an effect (completed) or hold a lease; failed/awaiting ones store only the refusal.
    const [k] = await db.select({ n: count() }).from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, organiser.id), ne(idempotencyKeys.status, 'failed'), ne(idempotencyKeys.status, 'awaiting_confirmation')));
    return { events: e?.n ?? 0, ledger: l?.n ?? 0, settled: k?.n ?? 0 };
  }

  function expectWellFormed(res: ApiResponse): void {
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
    if (res.status !== 204) expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(isEnvelope(res), res.text.slice(0, 300)).toBe(true);
  }

  function headers(h: { key?: string; origin?: string; contentType?: string; ifMatch?: string; withCookie: boolean }): Record<string, string> {
    const out: Record<string, string> = {};
    if (h.withCookie) out.cookie = organiser.cookie;
    if (h.key !== undefined) out['idempotency-key'] = h.key;
    if (h.origin !== undefined) out.origin = h.origin === 'SELF' ? url : h.origin;
    if (h.contentType !== undefined) out['content-type'] = h.contentType;
    if (h.ifMatch !== undefined) out['if-match'] = h.ifMatch;
    return out;
  }

  it('POST /api/events: any body, key, Origin, Content-Type, confirm flag', async () => {
    await fc.assert(
      fc.asyncProperty(body, idempotencyKey, origin, contentType, fc.boolean(), fc.nat(9), async (raw, key, org, type, confirm, noCookie) => {
        const before = await writes();
        const res = await request(url, 'POST', `/api/events${confirm ? '?confirm_credit=1' : ''}`, {
          rawBody: raw,
          headers: headers({ key, origin: org, contentType: type ?? (raw === undefined ? undefined : 'application/json'), withCookie: noCookie !== 0 }),
        });
        expectWellFormed(res);
        if (res.status >= 400) expect(await writes()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('PATCH and DELETE /api/events/:id: any If-Match, key, body; a refused edit leaves the event as it was', async () => {
    const ids = fc.oneof(fc.constant('TARGET'), fc.uuid(), pathId);
    const ifMatch = fc.oneof(fc.constant(undefined), fc.constantFrom('"1"', '1', 'W/"1"', '"999"', '*', '"-1"', '""'), printable(30));
    await fc.assert(
      fc.asyncProperty(ids, fc.constantFrom('PATCH', 'DELETE'), body, idempotencyKey, ifMatch, origin, async (idPick, method, raw, key, im, org) => {
        const id = idPick === 'TARGET' ? target.id : idPick;
        const before = await writes();
        const [row] = await scenario.database.db.select({ version: events.version }).from(events).where(eq(events.id, target.id));
        const res = await request(url, method, `/api/events/${id}`, {
          rawBody: method === 'PATCH' ? raw : undefined,
          headers: headers({ key, origin: org, ifMatch: im, contentType: 'application/json', withCookie: true }),
        });
        expectWellFormed(res);
        if (res.status >= 400) {
          expect(await writes()).toEqual(before);
          const [after] = await scenario.database.db.select({ version: events.version }).from(events).where(eq(events.id, target.id));
          expect(after?.version).toBe(row?.version);
        } else if (method === 'DELETE' && id === target.id) {
          // The fuzzer deleted the draft it edits: give it a new one.
          const created = await request(url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody({ status: 'draft' }) });
          target = { id: eventIdOf(created)! };
        }
      }),
      { numRuns: 100 },
    );
  });

  it('GET with any query string and any path id', async () => {
    const query = fc.dictionary(fc.oneof(fc.constantFrom('limit', 'cursor', 'confirm_credit'), printable(10)), printable(40), { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(query, fc.oneof(fc.constant(''), fc.uuid(), pathId), async (q, id) => {
        const search = new URLSearchParams(q).toString();
        const path = id === '' ? `/api/events?${search}` : `/api/events/${id}?${search}`;
        expectWellFormed(await request(url, 'GET', path, { cookie: organiser.cookie }));
      }),
      { numRuns: 80 },
    );
  });

  it('bodies around the 64 KiB limit: 413 above it, never a 500, nothing written when refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 60 * 1024, max: 80 * 1024 }), fc.boolean(), async (size, json) => {
        const base = JSON.stringify({ ...eventBody(), description: '' });
        const raw = json ? base.replace('"description":""', `"description":"${'d'.repeat(Math.max(0, size - base.length))}"`) : 'x'.repeat(size);
        const before = await writes();
        const res = await request(url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), rawBody: raw });
        expectWellFormed(res);
        if (Buffer.byteLength(raw) > 64 * 1024) expect(res.status).toBe(413);
        if (res.status >= 400) expect(await writes()).toEqual(before);
      }),
      { numRuns: 20 },
    );
    expect(await checkInvariants(scenario.database.db)).toEqual(CLEAN);
  });
  // The classes of input that used to make a 500.
  const cookieValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%%', '%u0041', 'en', 'ru', '%00', '"quoted"', ''),
    fc.string({ maxLength: 20 }).map((v) => `${v}%`),
  );
  const cookieName = fc.constantFrom('NEXT_LOCALE', 'session', '__Host-session', 'sb-x-auth-token', 'sb-x-auth-token.0', 'guest', 'x');
  const cookieHeader = fc
    .array(fc.tuple(cookieName, cookieValue), { maxLength: 5 })
    .map((pairs) => pairs.map(([n, v]) => `${n}=${v}`).join('; '))
    // fetch refuses header values with control characters; what it cannot send, no client can.
    .map((h) => h.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[^\u0020-\u00ff]/g, 'x'));

  it('malformed cookies: pages and /api never answer 500, /api always the envelope', async () => {
    await fc.assert(
      fc.asyncProperty(cookieHeader, fc.boolean(), fc.constantFrom('/api/me', '/api/events', '/api/events?limit=1'), async (cookie, withSession, path) => {
        const full = withSession ? `${cookie}; ${organiser.cookie}` : cookie;
        expectWellFormed(await request(url, 'GET', path, { headers: { cookie: full } }));
        const page = await fetch(new URL('/sign-in', url), { headers: { cookie: full }, redirect: 'manual' });
        await page.arrayBuffer();
        expect(page.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });

  /** A string with a lone surrogate somewhere, written into the JSON as an escape (as JSON.stringify does). */
  const loneSurrogate = fc
    .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 10 }))
    .map(([a, code, b]) => `${a}${String.fromCharCode(code)}${b}`);

  it('lone UTF-16 surrogates in any field or key: 400, never 500, nothing written', async () => {
    const field = fc.constantFrom('title', 'description', 'timezone', 'location.address', 'location.url', 'key');
    await fc.assert(
      fc.asyncProperty(loneSurrogate, field, async (text, where) => {
        const base: Record<string, unknown> = { ...eventBody(), location: { type: 'in_person', address: 'Somewhere 1' } };
        if (where === 'key') base[text] = 1;
        else if (where.startsWith('location.')) base.location = { type: where === 'location.url' ? 'online' : 'in_person', [where.slice(9)]: text };
        else base[where] = text;
        const before = await writes();
        const res = await request(url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), rawBody: JSON.stringify(base) });
        expectWellFormed(res);
        expect(res.status).toBe(400);
        expect(await writes()).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });

  it('nesting of any depth, up to 20,000 levels: never a 500; deeper than 32 is 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 20_000 })), fc.boolean(), fc.constantFrom('body', 'location', 'extra'), async (depth, arrays, where) => {
        const open = arrays ? '['.repeat(depth) : '{"a":'.repeat(depth);
        const close = arrays ? ']'.repeat(depth) : '}'.repeat(depth);
        const nested = `${open}1${close}`;
        const raw = where === 'body' ? nested : JSON.stringify(eventBody()).replace(/}$/, `,"${where}":${nested}}`);
        const res = await request(url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), rawBody: raw });
        expectWellFormed(res);
        if (Buffer.byteLength(raw) <= 64 * 1024 && depth + (where === 'body' ? 0 : 1) > 32) expect(res.status).toBe(400);
      }),
      { numRuns: 40 },
    );
  });

  it('dates of any year and offset: never a 500; outside 1970-9999 is 400', async () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const isoDate = fc
      .record({
        year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1969, 1970, 9999)),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 31 }),
        hour: fc.integer({ min: 0, max: 23 }),
        offset: fc.constantFrom('Z', '+14:00', '-12:00', '-05:00', '+05:45', '+00:00'),
      })
      .map((d) => `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}T${pad(d.hour, 2)}:00:00${d.offset}`);
    await fc.assert(
      fc.asyncProperty(isoDate, fc.integer({ min: 1, max: 1_000_000 }), async (startsAt, minutes) => {
        const ends = Date.parse(startsAt) + minutes * 60_000;
        const endsAt = Number.isFinite(ends) && ends < 253402300800000 && ends > -62167219200000 ? new Date(ends).toISOString() : startsAt;
        const res = await request(url, 'POST', '/api/events', {
          cookie: organiser.cookie,
          key: randomUUID(),
          body: { ...eventBody(), startsAt, endsAt, status: 'draft' },
        });
        expectWellFormed(res);
        const ms = Date.parse(startsAt);
        if (!(ms >= Date.UTC(1970, 0, 1) && ms < Date.UTC(10000, 0, 1))) expect(res.status).toBe(400);
      }),
      { numRuns: 60 },
    );
  });

  it('list cursors of any shape: never a 500', async () => {
    const createdAt = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('2020', '2020-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '10000-01-01T00:00:00Z', '2020-01-01 00:00:00', '2020-01-01T00:00:00.1234567Z'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.integer(),
    );
    const cursor = fc.oneof(
      fc.record({ createdAt, id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 })) }).map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
      fc.string({ maxLength: 60 }).map((s) => Buffer.from(s).toString('base64url')),
      printable(80),
    );
    await fc.assert(
      fc.asyncProperty(cursor, async (c) => {
        expectWellFormed(await request(url, 'GET', `/api/events?cursor=${encodeURIComponent(c)}`, { cookie: organiser.cookie }));
      }),
      { numRuns: 80 },
    );
  });

  it('header sizes: long forwarding, idempotency, locale and cookie headers are never a 500', async () => {
    const name = fc.constantFrom('x-forwarded-for', 'x-real-ip', 'idempotency-key', 'accept-language', 'if-match', 'cookie', 'x-forwarded-proto', 'origin');
    await fc.assert(
      fc.asyncProperty(name, fc.integer({ min: 200, max: 12_000 }), fc.constantFrom('1', ',', '%', 'a', '1.2.3.4, ', 'en;q=0.5,'), async (header, size, unit) => {
        const value = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
        const headers: Record<string, string> = { [header]: value };
        if (header !== 'cookie') headers.cookie = organiser.cookie;
        expectWellFormed(await request(url, 'GET', '/api/events?limit=1', { headers }));
        expectWellFormed(
          await request(url, 'POST', '/api/events', { headers: { ...headers, 'idempotency-key': header === 'idempotency-key' ? value : randomUUID() }, body: { title: 'x' } }),
        );
      }),
      { numRuns: 40 },
    );
  });
});
