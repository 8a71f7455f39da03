// Bearer API keys: created, listed and revoked through the real
// route handlers on a real database; a key authenticates as its organiser on
// organiser endpoints, with the browser's idempotency scope, no Origin check
// and no cookies; a revoked key is refused by the very next request; each key
// has its own rate limit, which holds under concurrent requests.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DELETE as deleteKey } from '@/app/api/api-keys/[id]/route';
import { GET as listKeys, POST as postKey } from '@/app/api/api-keys/route';
import { PATCH as patchEvent } from '@/app/api/events/[id]/route';
import { GET as listEvents, POST as postEvent } from '@/app/api/events/route';
import { POST as cronPurge } from '@/app/api/cron/idempotency-purge/route';
import { GET as getMe } from '@/app/api/me/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { apiKeys, idempotencyKeys } from '@/lib/db/schema';
import { call, createOrganiser, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

afterAll(closeDb);

type KeyJson = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };

async function newKey(organiser: Organiser, name = 'CRM sync'): Promise<{ apiKey: KeyJson; secret: string }> {
  const res = await call(postKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key: randomUUID(), body: { name } });
  expect(res.status, res.text).toBe(201);
  return (res.json as { data: { apiKey: KeyJson; secret: string } }).data;
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe('API keys', () => {
  it('shows the secret once and stores only its hash', async () => {
    const organiser = await createOrganiser();
    const { apiKey, secret } = await newKey(organiser);
    expect(secret).toMatch(/^evk_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey).toMatchObject({ name: 'CRM sync', lastUsedAt: null });
    const [row] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));

    const listed = await call(listKeys, 'GET', '/api/api-keys', { cookie: organiser.cookie });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(secret);
    expect((listed.json as { data: { apiKeys: KeyJson[] } }).data.apiKeys.map((k) => k.id)).toEqual([apiKey.id]);
  });

  it('keeps the secret out of the idempotency record: a replay answers the same key without it', async () => {
    const organiser = await createOrganiser();
    const key = randomUUID();
    const first = await call(postKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key, body: { name: 'Lost answer' } });
    expect(first.status).toBe(201);
    const { apiKey, secret } = (first.json as { data: { apiKey: KeyJson; secret: string } }).data;
    const [record] = await getDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(record?.status).toBe('completed');
    expect(JSON.stringify(record)).not.toContain(secret);

    const replay = await call(postKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key, body: { name: 'Lost answer' } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json).toEqual({ success: true, data: { apiKey } });
    const listed = await call(listKeys, 'GET', '/api/api-keys', { cookie: organiser.cookie });
    expect((listed.json as { data: { apiKeys: KeyJson[] } }).data.apiKeys).toHaveLength(1);
  });

  it('validates the name', async () => {
    const organiser = await createOrganiser();
    const res = await call(postKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key: randomUUID(), body: { name: ' ' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { name: [expect.any(String)] } } });
  });

  it('acts as its team on team endpoints, with no cookie set and no Origin check; it is no user', async () => {
    const organiser = await createOrganiser('Key Owner');
    const { secret } = await newKey(organiser);
    // A key belongs to a team, not to whoever made it: /api/me (a user's own) is not for it.
    const me = await call(getMe, 'GET', '/api/me', { headers: bearer(secret) });
    expect(me.status, me.text).toBe(403);
    expect(me.json).toMatchObject({ error: { code: 'FORBIDDEN_FOR_API_KEY' } });

    // A mutation from a foreign Origin: refused with the cookie, accepted with the key.
    const foreign = { origin: 'https://evil.example' };
    const byCookie = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody(), headers: foreign });
    expect(byCookie.status).toBe(403);
    const created = await call(postEvent, 'POST', '/api/events', { key: randomUUID(), body: validEventBody(), headers: { ...bearer(secret), ...foreign } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.getSetCookie()).toEqual([]);
    const event = (created.json as { data: { event: { id: string; teamId: string; version: number } } }).data.event;
    expect(event.teamId).toBe(organiser.id);

    const patched = await call(patchEvent, 'PATCH', `/api/events/${event.id}`, {
      key: randomUUID(),
      body: { title: 'Renamed by the CRM' },
      params: { id: event.id },
      headers: { ...bearer(secret), 'if-match': `"${event.version}"` },
    });
    expect(patched.status, patched.text).toBe(200);
  });

  it('is its own idempotency principal: its key replays for it, with both replay headers, and is not the browser\'s', async () => {
    const organiser = await createOrganiser();
    const { secret } = await newKey(organiser);
    const key = randomUUID();
    const body = validEventBody({ title: 'Scoped by principal' });
    const first = await call(postEvent, 'POST', '/api/events', { key, body, headers: bearer(secret) });
    expect(first.status).toBe(201);
    const again = await call(postEvent, 'POST', '/api/events', { key, body, headers: bearer(secret) });
    expect(again.status).toBe(201);
    expect(again.headers.get('x-idempotency-replay')).toBe('true');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    // The same Idempotency-Key from the organiser's browser is another principal's: a record, and an event, of its own.
    const byBrowser = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body });
    expect(byBrowser.status).toBe(201);
    expect(byBrowser.headers.get('idempotent-replayed')).toBeNull();
    const events = await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) });
    expect((events.json as { data: { events: unknown[] } }).data.events).toHaveLength(2);
  });

  it('refuses an unknown key even beside a valid session cookie', async () => {
    const organiser = await createOrganiser();
    const res = await call(getMe, 'GET', '/api/me', { cookie: organiser.cookie, headers: bearer(`evk_${'x'.repeat(43)}`) });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('leaves other bearer secrets to their routes: the cron purge still takes CRON_SECRET', async () => {
    process.env.CRON_SECRET = 'cron-secret-for-the-test';
    try {
      const res = await call(cronPurge, 'POST', '/api/cron/idempotency-purge', { headers: bearer('cron-secret-for-the-test') });
      expect(res.status, res.text).toBe(200);
      const wrong = await call(cronPurge, 'POST', '/api/cron/idempotency-purge', { headers: bearer('evk_not-a-key') });
      expect(wrong.status).toBe(401);
    } finally {
      delete process.env.CRON_SECRET;
    }
  });

  it('refuses a revoked key on the next request, and only its team may revoke it', async () => {
    const owner = await createOrganiser();
    const other = await createOrganiser();
    const { apiKey, secret } = await newKey(owner);
    expect((await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) })).status).toBe(200);

    const foreign = await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie: other.cookie, key: randomUUID(), params: { id: apiKey.id } });
    expect(foreign.status).toBe(404);
    expect((await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) })).status).toBe(200);

    const revoked = await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie: owner.cookie, key: randomUUID(), params: { id: apiKey.id } });
    expect(revoked.status).toBe(204);
    const after = await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) });
    expect(after.status).toBe(401);
    const listed = await call(listKeys, 'GET', '/api/api-keys', { cookie: owner.cookie });
    expect((listed.json as { data: { apiKeys: KeyJson[] } }).data.apiKeys).toEqual([]);
    const twice = await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie: owner.cookie, key: randomUUID(), params: { id: apiKey.id } });
    expect(twice.status).toBe(404);
  });

  it('records lastUsedAt, moving it at most once a minute', async () => {
    const organiser = await createOrganiser();
    const { apiKey, secret } = await newKey(organiser);
    await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) });
    const [first] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(first?.lastUsedAt).toBeInstanceOf(Date);
    await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) });
    const [second] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(second?.lastUsedAt?.getTime()).toBe(first?.lastUsedAt?.getTime());
    // An hour later (moved back by hand), the next request moves it again.
    await getDb().update(apiKeys).set({ lastUsedAt: new Date(Date.now() - 3600_000) }).where(eq(apiKeys.id, apiKey.id));
    await call(listEvents, 'GET', '/api/events', { headers: bearer(secret) });
    const [third] = await getDb().select().from(apiKeys).where(eq(apiKeys.id, apiKey.id));
    expect(Date.now() - (third?.lastUsedAt?.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('limits each key on its own, however many requests arrive at once', async () => {
    const organiser = await createOrganiser();
    const limited = await newKey(organiser, 'limited');
    const spare = await newKey(organiser, 'spare');
    process.env.API_KEY_RATE_LIMIT = '5';
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => call(listEvents, 'GET', '/api/events', { headers: bearer(limited.secret) })));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      const refused = answers.find((a) => a.status === 429);
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused?.json).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      // Another key of the same organiser, and the browser session, are not limited by it.
      expect((await call(listEvents, 'GET', '/api/events', { headers: bearer(spare.secret) })).status).toBe(200);
      expect((await call(getMe, 'GET', '/api/me', { cookie: organiser.cookie })).status).toBe(200);
    } finally {
      delete process.env.API_KEY_RATE_LIMIT;
    }
  });
});
