import { afterAll, describe, expect, it } from 'vitest';
import { POST as signIn } from '@/app/api/auth/sign-in/route';
import { POST as signOut } from '@/app/api/auth/sign-out/route';
import { POST as signUp } from '@/app/api/auth/sign-up/route';
import { GET as me } from '@/app/api/me/route';
import { closeDb } from '@/lib/db/pool';
import { call, createOrganiser, ORIGIN, sessionCookieFrom, uniqueEmail } from './support';

afterAll(closeDb);

describe('local auth', () => {
  it('signs up, reads /api/me with the session, signs out and is then unauthenticated', async () => {
    const organiser = await createOrganiser('Ada');
    const profile = await call(me, 'GET', '/api/me', { cookie: organiser.cookie });
    expect(profile.status).toBe(200);
    expect(profile.json).toMatchObject({
      success: true,
      data: { user: { id: organiser.id, email: organiser.email, name: 'Ada' }, plan: 'free', credits: { balance: 0 } },
    });
    const out = await call(signOut, 'POST', '/api/auth/sign-out', { cookie: organiser.cookie });
    expect(out.status).toBe(204);
    const after = await call(me, 'GET', '/api/me', { cookie: organiser.cookie });
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('signs in with the right password and refuses a wrong one with 401', async () => {
    const organiser = await createOrganiser();
    const ok = await call(signIn, 'POST', '/api/auth/sign-in', {
      body: { email: organiser.email.toUpperCase(), password: 'correct-horse-battery' },
    });
    expect(ok.status).toBe(200);
    expect(sessionCookieFrom(ok)).toMatch(/^session=.{20,}/);
    const bad = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: organiser.email, password: 'wrong-password!' } });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('answers 400 with fieldErrors for an invalid email and a short password, and writes nothing', async () => {
    const res = await call(signUp, 'POST', '/api/auth/sign-up', { body: { email: 'not-an-email', password: 'short' } });
    expect(res.status).toBe(400);
    const error = (res.json as { error: { code: string; fieldErrors: Record<string, string[]> } }).error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(error.fieldErrors).sort()).toEqual(['email', 'password']);
  });

  it('answers 409 EMAIL_TAKEN for an email already registered, in any case', async () => {
    const organiser = await createOrganiser();
    const res = await call(signUp, 'POST', '/api/auth/sign-up', {
      body: { email: organiser.email.toUpperCase(), password: 'another-password-1' },
    });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ error: { code: 'EMAIL_TAKEN' } });
  });

  it('rate-limits the 11th failed sign-in for one email with 429 and Retry-After', async () => {
    const organiser = await createOrganiser();
    const attempt = (ip: string) =>
      call(signIn, 'POST', '/api/auth/sign-in', {
        body: { email: organiser.email, password: 'wrong-password!' },
        headers: { 'x-forwarded-for': ip },
      });
    for (let i = 0; i < 10; i++) expect((await attempt(`10.0.0.${i}`)).status).toBe(401);
    const limited = await attempt('10.0.1.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.json).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    // Even the right password waits out the window.
    const right = await call(signIn, 'POST', '/api/auth/sign-in', { body: { email: organiser.email, password: 'correct-horse-battery' } });
    expect(right.status).toBe(429);
  });

  it('refuses a mutation from a foreign Origin with 403, an oversized body with 413 and malformed JSON with 400', async () => {
    const foreign = await call(signUp, 'POST', '/api/auth/sign-up', {
      body: { email: uniqueEmail(), password: 'long-enough-password' },
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json).toMatchObject({ error: { code: 'FORBIDDEN_ORIGIN' } });
    const same = await call(signUp, 'POST', '/api/auth/sign-up', {
      body: { email: uniqueEmail(), password: 'long-enough-password' },
      headers: { origin: ORIGIN },
    });
    expect(same.status).toBe(201);
    const big = await call(signUp, 'POST', '/api/auth/sign-up', {
      rawBody: JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(70 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const malformed = await call(signUp, 'POST', '/api/auth/sign-up', { rawBody: '{"email": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
  });

  it('answers in Russian when the locale cookie says so', async () => {
    const res = await call(signIn, 'POST', '/api/auth/sign-in', {
      body: { email: uniqueEmail(), password: 'whatever-password' },
      cookie: 'NEXT_LOCALE=ru',
    });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'INVALID_CREDENTIALS', message: 'Неверная эл. почта или пароль.' } });
  });
});

describe('bodies Postgres cannot store', () => {
  it('rejects a NUL character in a field with 400 VALIDATION_FAILED naming the field, not a 500', async () => {
    const res = await call(signUp, 'POST', '/api/auth/sign-up', {
      body: { email: uniqueEmail(), password: 'long-enough-password', name: 'Ada\u0000Lovelace' },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { name: [expect.any(String)] } } });
  });
});
