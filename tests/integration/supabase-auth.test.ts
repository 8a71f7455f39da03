// The Supabase Auth provider through our real route handlers, against a local
// fake of Supabase Auth's HTTP API (tests/integration/fakes). The provider is
// chosen from the environment at call time, so setting the two public
// variables here switches it; they are restored afterwards.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/sign-in/route';
import { POST as signOut } from '@/app/api/auth/sign-out/route';
import { POST as signUp } from '@/app/api/auth/sign-up/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as me } from '@/app/api/me/route';
import { authProvider } from '@/lib/auth';
import { SUPABASE_SESSION_COOKIE } from '@/lib/auth/supabase/cookies';
import { findFreePort } from '@/lib/db/embedded';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { FakeSupabaseAuth } from './fakes/supabase-auth';
import { call, uniqueEmail } from './support';

const PASSWORD = 'correct-horse-battery';
const saved = {
  url: process.env.NEXT_PUBLIC_SUPABASE_URL,
  key: process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY,
};
let fake: FakeSupabaseAuth;

beforeAll(async () => {
  fake = new FakeSupabaseAuth({ db: getPool() });
  await fake.start(await findFreePort(54800));
});

beforeEach(() => {
  process.env.NEXT_PUBLIC_SUPABASE_URL = fake.baseUrl;
  process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY = fake.anonKey;
  fake.autoconfirm = true;
  fake.accessTokenSeconds = 3600;
  fake.rateLimitNext(0);
});

afterAll(async () => {
  restore('NEXT_PUBLIC_SUPABASE_URL', saved.url);
  restore('NEXT_PUBLIC_SUPABASE_ANON_KEY', saved.key);
  await fake.stop();
  await closeDb();
});

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A browser's cookie jar: applies Set-Cookie (including deletions) and sends what is left. */
class Jar {
  private readonly cookies = new Map<string, string>();
  apply(headers: Headers): string[] {
    const set = headers.getSetCookie();
    for (const line of set) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq);
      const deleted = /;\s*Max-Age=0(;|$)/i.test(line);
      if (deleted) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
    return set;
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  names(): string[] {
    return [...this.cookies.keys()];
  }
}

async function signUpThrough(jar: Jar, email = uniqueEmail('sb'), name: string | undefined = 'Supa Organiser') {
  const res = await call(signUp, 'POST', '/api/auth/sign-up', { body: { email, password: PASSWORD, name } });
  jar.apply(res.headers);
  return { res, email };
}

type MeJson = { data: { user: { id: string; email: string; name: string | null }; plan: string; credits: { balance: number } } };

describe('Supabase Auth provider', () => {
  it('is chosen when both public settings are set, and the local one otherwise', () => {
    expect(authProvider().name).toBe('supabase');
    delete process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;
    expect(authProvider().name).toBe('local');
  });

  it('signs up: 201, session cookie, auth.users row from Supabase, profile and credit account from us', async () => {
    const jar = new Jar();
    const { res, email } = await signUpThrough(jar);
    expect(res.status).toBe(201);
    const user = (res.json as { data: { user: { id: string; email: string; name: string } } }).data.user;
    expect(user).toMatchObject({ email, name: 'Supa Organiser' });
    expect(user.id).toBe(fake.user(email)?.id);

    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sb-127-auth-token='));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);

    const db = getDb();
    const rows = await db.execute<{ email: string; name: string | null; plan: string; balance: number }>(sql`
      select u.email, p.name, t.plan, a.balance from auth.users u
      join profiles p on p.user_id = u.id join teams t on t.id = u.id join credit_accounts a on a.team_id = t.id where u.id = ${user.id}`);
    expect(rows.rows).toEqual([{ email, name: 'Supa Organiser', plan: 'free', balance: 0 }]);

    const meRes = await call(me, 'GET', '/api/me', { cookie: jar.header });
    expect(meRes.status).toBe(200);
    expect((meRes.json as MeJson).data).toMatchObject({ user: { id: user.id, email }, plan: 'free', credits: { balance: 0 } });
    // The user came from Supabase (GET /user with the access token), not from the cookie alone.
    const lastUserCall = fake.requests.filter((r) => r.path === '/auth/v1/user').at(-1);
    expect(lastUserCall?.authorization).toMatch(/^Bearer ey/);
  });

  it('answers 409 EMAIL_TAKEN for a registered email, with and without email confirmation', async () => {
    const { email } = await signUpThrough(new Jar());
    const again = await call(signUp, 'POST', '/api/auth/sign-up', { body: { email, password: PASSWORD } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ success: false, error: { code: 'EMAIL_TAKEN' } });

    fake.autoconfirm = false;
    const hidden = await call(signUp, 'POST', '/api/auth/sign-up', { body: { email, password: PASSWORD } });
    expect(hidden.status).toBe(409);
  });

  it('with email confirmation on, signs up without a session cookie', async () => {
    fake.autoconfirm = false;
    const jar = new Jar();
    const { res } = await signUpThrough(jar);
    expect(res.status).toBe(201);
    // Only the PKCE verifier for the email link may be set (the library's), never a session.
    expect(jar.names().filter((n) => SUPABASE_SESSION_COOKIE.test(n))).toEqual([]);
    expect((await call(me, 'GET', '/api/me', { cookie: jar.header })).status).toBe(401);
  });

  it('signs in: 401 INVALID_CREDENTIALS on a wrong password, 200 and a working cookie on the right one', async () => {
    const { email } = await signUpThrough(new Jar());
    const wrong = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: 'not-the-password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const jar = new Jar();
    const ok = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: PASSWORD } });
    jar.apply(ok.headers);
    expect(ok.status).toBe(200);
    expect((await call(me, 'GET', '/api/me', { cookie: jar.header })).status).toBe(200);
  });

  it('of 30 concurrent wrong sign-ins for one email, at most 10 reach Supabase (consumed before it checks)', async () => {
    const { email } = await signUpThrough(new Jar());
    const passwordGrants = () => fake.requests.filter((r) => r.path === '/auth/v1/token' && r.query.get('grant_type') === 'password').length;
    const before = passwordGrants();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: 'not-the-password' } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 401 || s === 429).length).toBe(30);
    expect(passwordGrants() - before).toBeLessThanOrEqual(10);
  });

  it('maps Supabase rate limits to 429 RATE_LIMITED with Retry-After', async () => {
    const { email } = await signUpThrough(new Jar());
    fake.rateLimitNext(1);
    const limited = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: PASSWORD } });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(limited.headers.get('retry-after')).toBe('60');

    fake.rateLimitNext(1, '17');
    const withHeader = await call(signUp, 'POST', '/api/auth/sign-up', { body: { email: uniqueEmail('sb'), password: PASSWORD } });
    expect(withHeader.status).toBe(429);
    expect(withHeader.headers.get('retry-after')).toBe('17');
  });

  it('refreshes an expiring access token and hands the rotated session back as Set-Cookie', async () => {
    fake.accessTokenSeconds = 30; // inside the client's expiry margin: the next use refreshes
    const jar = new Jar();
    await signUpThrough(jar);
    const before = jar.header;
    const refreshesBefore = fake.requests.filter((r) => r.query.get('grant_type') === 'refresh_token').length;

    const res = await call(me, 'GET', '/api/me', { cookie: before });
    expect(res.status).toBe(200);
    const written = jar.apply(res.headers);
    expect(written.some((c) => c.startsWith('sb-127-auth-token'))).toBe(true);
    expect(fake.requests.filter((r) => r.query.get('grant_type') === 'refresh_token').length).toBe(refreshesBefore + 1);
    expect(jar.header).not.toBe(before);

    // The rotated cookie works on the next request without another refresh.
    fake.accessTokenSeconds = 3600;
    const next = await call(me, 'GET', '/api/me', { cookie: jar.header });
    expect(next.status).toBe(200);
    expect(fake.requests.filter((r) => r.query.get('grant_type') === 'refresh_token').length).toBe(refreshesBefore + 2);
  });

  it('splits a large session into chunked cookies and reads them back', async () => {
    const jar = new Jar();
    const { email } = await signUpThrough(jar);
    const user = fake.user(email);
    if (!user) throw new Error('no user in the fake');
    user.appMetadata = { ...user.appMetadata, roles: Array.from({ length: 200 }, (_, i) => `role-${i}`) };
    const res = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: PASSWORD } });
    const fresh = new Jar();
    fresh.apply(res.headers);
    expect(fresh.names()).toEqual(expect.arrayContaining(['sb-127-auth-token.0', 'sb-127-auth-token.1']));
    const meRes = await call(me, 'GET', '/api/me', { cookie: fresh.header });
    expect(meRes.status).toBe(200);
    expect((meRes.json as MeJson).data.user.id).toBe(user.id);
  });

  it('a new sign-in in the same browser replaces the earlier session, whatever its cookie shape', async () => {
    const small = await signUpThrough(new Jar());
    const big = await signUpThrough(new Jar());
    const bigUser = fake.user(big.email);
    if (!bigUser) throw new Error('no user in the fake');
    bigUser.appMetadata = { ...bigUser.appMetadata, roles: Array.from({ length: 200 }, (_, i) => `role-${i}`) };

    const jar = new Jar();
    const whoAmI = async () => ((await call(me, 'GET', '/api/me', { cookie: jar.header })).json as MeJson).data.user.email;
    jar.apply((await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: small.email, password: PASSWORD } })).headers);
    expect(await whoAmI()).toBe(small.email);
    // Unsplit cookie, then a chunked session: the unsplit one must go, or it would win.
    jar.apply((await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: big.email, password: PASSWORD } })).headers);
    expect(jar.names()).not.toContain('sb-127-auth-token');
    expect(await whoAmI()).toBe(big.email);
    // And back: the chunks go.
    jar.apply((await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: small.email, password: PASSWORD } })).headers);
    expect(jar.names().filter((n) => /\.\d+$/.test(n))).toEqual([]);
    expect(await whoAmI()).toBe(small.email);
  });

  it('creates the profile and credit account the first time it sees a user made outside the app', async () => {
    const email = uniqueEmail('dashboard');
    const user = await fake.createUser(email, PASSWORD, { name: 'From Dashboard' });
    const before = await getDb().execute(sql`select 1 from profiles where user_id = ${user.id}`);
    expect(before.rows).toEqual([]);

    const res = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ data: { user: { id: user.id, name: 'From Dashboard' } } });
    const after = await getDb().execute<{ plan: string; balance: number }>(sql`
      select t.plan, a.balance from profiles p join teams t on t.id = p.user_id join credit_accounts a on a.team_id = t.id where p.user_id = ${user.id}`);
    expect(after.rows).toEqual([{ plan: 'free', balance: 0 }]);
  });

  it('signs out: 204, cookies cleared, the session revoked at Supabase', async () => {
    const jar = new Jar();
    await signUpThrough(jar);
    const cookie = jar.header;
    const res = await call(signOut, 'POST', '/api/auth/sign-out', { cookie });
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie();
    expect(cleared.some((c) => c.startsWith('sb-127-auth-token=;') && /Max-Age=0/.test(c))).toBe(true);
    const logout = fake.requests.filter((r) => r.path === '/auth/v1/logout').at(-1);
    expect(logout?.query.get('scope')).toBe('local');
    // A copy of the old cookie is refused: Supabase says the session is gone.
    expect((await call(me, 'GET', '/api/me', { cookie })).status).toBe(401);
  });

  it('refuses a forged token and answers 401 without a cookie at all', async () => {
    const forged = fake.sign({ sub: randomUUID(), role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 3600 }, 'not-the-secret');
    const session = JSON.stringify({ access_token: forged, refresh_token: 'x', expires_at: Math.floor(Date.now() / 1000) + 3600, expires_in: 3600, token_type: 'bearer', user: { id: randomUUID() } });
    const cookie = `sb-127-auth-token=base64-${Buffer.from(session).toString('base64url')}`;
    expect((await call(me, 'GET', '/api/me', { cookie })).status).toBe(401);
    const before = fake.requests.length;
    expect((await call(me, 'GET', '/api/me')).status).toBe(401);
    expect(fake.requests.length).toBe(before); // no cookie, no call to Supabase
  });

  it('answers 503 when Supabase Auth cannot be reached', async () => {
    process.env.NEXT_PUBLIC_SUPABASE_URL = `http://127.0.0.1:${await findFreePort(54850)}`;
    const res = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: uniqueEmail('sb'), password: PASSWORD } });
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
  });

  it('runs the events API for a Supabase user (idempotency scoped by the Supabase user id)', async () => {
    const jar = new Jar();
    await signUpThrough(jar);
    const key = randomUUID();
    const starts = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const body = {
      title: 'Supabase meetup',
      description: '',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3600 * 1000).toISOString(),
      timezone: 'UTC',
      location: { type: 'online', url: 'https://example.com/room' },
      maxParticipants: 10,
      visibility: 'public',
      status: 'published',
    };
    const first = await call(postEvent, 'POST', '/api/events', { cookie: jar.header, key, body });
    expect(first.status).toBe(201);
    const replay = await call(postEvent, 'POST', '/api/events', { cookie: jar.header, key, body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(replay.json).toEqual(first.json);
  });
});
