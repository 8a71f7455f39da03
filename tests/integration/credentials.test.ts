// Keys and secrets (docs/api.md, "Integrations: API keys and webhooks"): a
// bearer API key cannot list, mint or revoke API keys (a leaked key would
// outlive its own revocation); a webhook endpoint records whether a key or
// the organiser's session created it; and the endpoint's signing secret, like
// an API key's, is in the first answer only, never in the idempotency record.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DELETE as deleteKey } from '@/app/api/api-keys/[id]/route';
import { GET as listKeys, POST as postKey } from '@/app/api/api-keys/route';
import { GET as listEndpoints, POST as postEndpoint } from '@/app/api/webhook-endpoints/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { apiKeys, idempotencyKeys } from '@/lib/db/schema';
import type { WebhookEndpointDto } from '@/lib/webhooks/schemas';
import { call, createOrganiser, type Organiser } from './support';

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
type KeyJson = { id: string; name: string; prefix: string };

// The endpoints below point at this machine; nothing is delivered to them.
beforeAll(() => {
  vi.stubEnv('WEBHOOKS_ALLOW_PRIVATE', '1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await closeDb();
});

async function newKey(organiser: Organiser, name: string): Promise<{ apiKey: KeyJson; secret: string }> {
  const res = await call(postKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key: randomUUID(), body: { name } });
  expect(res.status, res.text).toBe(201);
  return data<{ apiKey: KeyJson; secret: string }>(res);
}

describe('a key cannot mint keys', () => {
  it('answers 403 FORBIDDEN_FOR_API_KEY to a bearer key on GET/POST /api/api-keys and DELETE /api/api-keys/:id, with or without a session cookie; the session works', async () => {
    const organiser = await createOrganiser();
    const { apiKey, secret } = await newKey(organiser, 'Leaky');

    for (const cookie of [undefined, organiser.cookie]) {
      const listed = await call(listKeys, 'GET', '/api/api-keys', { cookie, headers: bearer(secret) });
      expect([listed.status, listed.json]).toMatchObject([403, { error: { code: 'FORBIDDEN_FOR_API_KEY' } }]);
      const minted = await call(postKey, 'POST', '/api/api-keys', { cookie, headers: bearer(secret), key: randomUUID(), body: { name: 'Survivor' } });
      expect([minted.status, minted.json]).toMatchObject([403, { error: { code: 'FORBIDDEN_FOR_API_KEY' } }]);
      const revoked = await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie, headers: bearer(secret), key: randomUUID(), params: { id: apiKey.id } });
      expect([revoked.status, revoked.json]).toMatchObject([403, { error: { code: 'FORBIDDEN_FOR_API_KEY' } }]);
    }
    // Nothing was minted nor revoked: the organiser still has exactly the one live key.
    const rows = await getDb().select().from(apiKeys).where(eq(apiKeys.teamId, organiser.id));
    expect(rows.map((row) => [row.id, row.revokedAt])).toEqual([[apiKey.id, null]]);
    // A revoked or unknown key stays 401, as on every route.
    const unknown = await call(listKeys, 'GET', '/api/api-keys', { headers: bearer(`evk_${'x'.repeat(43)}`) });
    expect(unknown.status).toBe(401);

    const listed = await call(listKeys, 'GET', '/api/api-keys', { cookie: organiser.cookie });
    expect(listed.status).toBe(200);
    expect(data<{ apiKeys: KeyJson[] }>(listed).apiKeys.map((k) => k.id)).toEqual([apiKey.id]);
    const revoked = await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: apiKey.id } });
    expect(revoked.status).toBe(204);
  });
});

describe('webhook endpoints', () => {
  it('may be created with a key, and each records who created it: the key (id, name, prefix) or the session', async () => {
    const organiser = await createOrganiser();
    const { apiKey, secret } = await newKey(organiser, 'Zapier');
    const byKey = await call(postEndpoint, 'POST', '/api/webhook-endpoints', {
      headers: bearer(secret),
      key: randomUUID(),
      body: { url: 'http://127.0.0.1:9/by-key', events: ['registration.created'] },
    });
    expect(byKey.status, byKey.text).toBe(201);
    const keyCreator = { type: 'api_key', id: apiKey.id, name: 'Zapier', prefix: apiKey.prefix };
    expect(data<{ endpoint: WebhookEndpointDto }>(byKey).endpoint.createdBy).toEqual(keyCreator);
    const bySession = await call(postEndpoint, 'POST', '/api/webhook-endpoints', {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { url: 'http://127.0.0.1:9/by-session', events: ['registration.created'] },
    });
    expect(bySession.status, bySession.text).toBe(201);
    expect(data<{ endpoint: WebhookEndpointDto }>(bySession).endpoint.createdBy).toEqual({ type: 'session' });

    // The list shows both, and still names the key after it is revoked.
    await call(deleteKey, 'DELETE', `/api/api-keys/${apiKey.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: apiKey.id } });
    const listed = await call(listEndpoints, 'GET', '/api/webhook-endpoints', { cookie: organiser.cookie });
    expect(listed.status).toBe(200);
    const creators = Object.fromEntries(data<{ endpoints: WebhookEndpointDto[] }>(listed).endpoints.map((e) => [e.url, e.createdBy]));
    expect(creators).toEqual({ 'http://127.0.0.1:9/by-key': keyCreator, 'http://127.0.0.1:9/by-session': { type: 'session' } });
  });

  it('shows the whsec_ secret once: a replay of the Idempotency-Key answers the endpoint without it, and the record holds no whsec_', async () => {
    const organiser = await createOrganiser();
    const key = randomUUID();
    const body = { url: 'http://127.0.0.1:9/once', events: ['registration.created'] };
    const first = await call(postEndpoint, 'POST', '/api/webhook-endpoints', { cookie: organiser.cookie, key, body });
    expect(first.status, first.text).toBe(201);
    const created = data<{ endpoint: WebhookEndpointDto; secret: string }>(first);
    expect(created.secret).toMatch(/^whsec_/);

    const [record] = await getDb().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(record?.status).toBe('completed');
    expect(JSON.stringify(record?.responseBody)).not.toContain('whsec_');
    expect(JSON.stringify(record)).not.toContain(created.secret.slice(6));

    const replay = await call(postEndpoint, 'POST', '/api/webhook-endpoints', { cookie: organiser.cookie, key, body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(replay.text).not.toContain('whsec_');
    const replayed = data<{ endpoint: WebhookEndpointDto; secret?: string }>(replay);
    expect(replayed.secret).toBeUndefined();
    expect(replayed.endpoint).toEqual(created.endpoint);
  });
});
