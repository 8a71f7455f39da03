// Security against the real route handlers and a real database: the sign-in and
// sign-up limits (also under concurrency), long keys, malformed cookies, JSON
// Postgres cannot store, out-of-range dates and cursors, __Host-session.
// The burst over real HTTP, the client address from the socket and the headers
// are in tests/reliability/security.test.ts (they need `next start`).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/sign-in/route';
import { POST as signUp } from '@/app/api/auth/sign-up/route';
import { GET as listEvents, POST as createEvent } from '@/app/api/events/route';
import { GET as me } from '@/app/api/me/route';
import { FAILED_SIGN_INS_PER_EMAIL, SIGN_UPS_PER_IP } from '@/lib/auth/rate-limit';
import { closeDb, getPool } from '@/lib/db/pool';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser, uniqueEmail } from './support';

afterAll(closeDb);

const countBy = (statuses: number[]) => {
  const counts: Record<number, number> = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
};

describe('sign-in limit (item 1)', () => {
  it('of 40 concurrent wrong attempts for one email, at most 10 have their password checked', async () => {
    const organiser = await createOrganiser();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        call(signIn, 'POST', '/api/auth/sign-in', { body: { email: organiser.email, password: 'wrong-password!' } }).then((r) => r.status),
      ),
    );
    const counts = countBy(statuses);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(FAILED_SIGN_INS_PER_EMAIL);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(40);
  });

  it('a success does not clear the count: the next wrong attempts stay limited', async () => {
    const organiser = await createOrganiser();
    const attempt = (password: string) => call(signIn, 'POST', '/api/auth/sign-in', { body: { email: organiser.email, password } });
    for (let i = 0; i < FAILED_SIGN_INS_PER_EMAIL - 1; i++) expect((await attempt('wrong-password!')).status).toBe(401);
    expect((await attempt('correct-horse-battery')).status).toBe(200);
    expect((await attempt('wrong-password!')).status).toBe(401);
    expect((await attempt('wrong-password!')).status).toBe(429);
  });
});

describe('sign-up limit (item 4)', () => {
  it('answers 429 RATE_LIMITED after 10 sign-ups from one address within the hour, before any account is made', async () => {
    const address = `203.0.113.${Math.floor(Math.random() * 200) + 1}`;
    const attempt = (email: string) =>
      call(signUp, 'POST', '/api/auth/sign-up', { body: { email, password: 'long-enough-password' }, headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < SIGN_UPS_PER_IP; i++) expect((await attempt(uniqueEmail('limited'))).status).toBe(201);
    const email = uniqueEmail('refused');
    const limited = await attempt(email);
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const { rows } = await getPool().query('select 1 from auth.users where email = $1', [email]);
    expect(rows).toEqual([]);
    // Probing emails is limited the same way: a taken email from that address is 429 too, not 409.
    expect((await attempt(email)).status).toBe(429);
  });
});

describe('long keys (item 5)', () => {
  it('an email of 250 characters fails with 401 and is limited after 10, never 500', async () => {
    const email = `${'a'.repeat(250 - '@example.com'.length)}@example.com`;
    expect(email).toHaveLength(250);
    const statuses: number[] = [];
    for (let i = 0; i < FAILED_SIGN_INS_PER_EMAIL + 1; i++) {
      statuses.push((await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: 'wrong-password!' } })).status);
    }
    expect(statuses.slice(0, FAILED_SIGN_INS_PER_EMAIL).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const { rows } = await getPool().query<{ n: number }>('select max(length(key))::int as n from auth_rate_limits');
    expect(rows[0]?.n ?? 0).toBeLessThanOrEqual(100);
  });

  it('a forwarding header of ~300 characters (and one of 60 KB) is never a 500', async () => {
    for (const forwarded of [`${'9'.repeat(300)}`, `${'1.2.3.4, '.repeat(6000)}5.6.7.8`, 'x'.repeat(300)]) {
      const res = await call(signIn, 'POST', '/api/auth/sign-in', {
        body: { email: uniqueEmail(), password: 'wrong-password!' },
        headers: { 'x-forwarded-for': forwarded },
      });
      expect(res.status).toBe(401);
    }
  });
});

describe('malformed cookies (item 6)', () => {
  it('NEXT_LOCALE=% is ignored: the API answers in the envelope as without it', async () => {
    const organiser = await createOrganiser();
    const res = await call(me, 'GET', '/api/me', { cookie: `NEXT_LOCALE=%; ${organiser.cookie}` });
    expect(res.status).toBe(200);
    const anonymous = await call(me, 'GET', '/api/me', { cookie: 'NEXT_LOCALE=%' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('session=%zz is no session: 401, not 500', async () => {
    for (const cookie of ['session=%zz', 'session=%', 'session=%E0%A4%A', `session=${'%'.repeat(50)}`]) {
      const res = await call(me, 'GET', '/api/me', { cookie });
      expect(res.status, cookie).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });
});

describe('valid JSON that Postgres cannot store (item 7)', () => {
  async function post(organiser: { cookie: string }, rawBody: string) {
    return call(createEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), rawBody });
  }

  it('a lone UTF-16 surrogate in any string is 400 VALIDATION_FAILED', async () => {
    const organiser = await createOrganiser();
    const body = JSON.stringify(validEventBody()).replace('"title":"', '"title":"\\ud800');
    const res = await post(organiser, body);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { title: [expect.any(String)] } } });
    const name = await call(signUp, 'POST', '/api/auth/sign-up', {
      rawBody: `{"email":"${uniqueEmail()}","password":"long-enough-password","name":"x\\udc00"}`,
    });
    expect(name.status).toBe(400);
  });

  it('fields named like Object.prototype members (toString, __proto__, constructor) are 400, not 500', async () => {
    const organiser = await createOrganiser();
    for (const raw of ['{"toString":0}', '{"__proto__":{"x":1}}', '{"constructor":"x","hasOwnProperty":1}', `{"title":"ok title","valueOf":1}`]) {
      const res = await post(organiser, raw);
      expect(res.status, raw).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('a body nested 20,000 levels deep is 400, and so is 33 levels', async () => {
    const organiser = await createOrganiser();
    for (const depth of [33, 20_000]) {
      const res = await post(organiser, `${'['.repeat(depth)}${']'.repeat(depth)}`);
      expect(res.status, String(depth)).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const deepLocation = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`; // 50 KB, under the body limit
    const deepField = await post(organiser, JSON.stringify(validEventBody()).replace(/"location":\{[^}]*\}/, `"location":${deepLocation}`));
    expect(deepField.status).toBe(400);
  });

  it('dates outside 1970-9999 (after the offset) are 400', async () => {
    const organiser = await createOrganiser();
    for (const [startsAt, endsAt] of [
      ['0000-01-01T10:00:00Z', '0000-01-01T12:00:00Z'],
      ['9999-12-31T23:00:00-05:00', '9999-12-31T23:30:00-05:00'],
      ['1969-12-31T23:00:00Z', '1969-12-31T23:30:00Z'],
    ]) {
      const res = await post(organiser, JSON.stringify(validEventBody({ startsAt, endsAt, status: 'draft' })));
      expect(res.status, startsAt).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { startsAt: [expect.any(String)] } } });
    }
  });

  it('a list cursor whose time is "2020" (or 30 February) is 400, not 500', async () => {
    const organiser = await createOrganiser();
    for (const createdAt of ['2020', '2020-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2020-01-01 00:00:00']) {
      const cursor = Buffer.from(JSON.stringify({ createdAt, id: randomUUID() })).toString('base64url');
      const res = await call(listEvents, 'GET', `/api/events?cursor=${cursor}`, { cookie: organiser.cookie });
      expect(res.status, createdAt).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { cursor: [expect.any(String)] } } });
    }
  });
});

describe('__Host-session over HTTPS (item 9)', () => {
  it('over HTTPS the session cookie is __Host-session (Secure, Path=/, no Domain), and only that name is read there', async () => {
    const organiser = await createOrganiser();
    const https = { 'x-forwarded-proto': 'https' };
    const res = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: organiser.email, password: 'correct-horse-battery' }, headers: https });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='));
    expect(setCookie).toMatch(/; Path=\/;/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).not.toMatch(/Domain=/i);
    const token = setCookie?.split(';')[0]?.split('=')[1] ?? '';
    expect((await call(me, 'GET', '/api/me', { cookie: `__Host-session=${token}`, headers: https })).status).toBe(200);
    // A plain `session` cookie (one a sibling subdomain could set) is not read over HTTPS.
    expect((await call(me, 'GET', '/api/me', { cookie: `session=${token}`, headers: https })).status).toBe(401);
  });
});
