// The organiser's default currency (docs/api.md, "The organiser's settings"):
// unset for a new organiser (never taken from the interface's language), set
// once through PATCH /api/me/settings, validated, replayed by its key.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as getSettings, PATCH as patchSettings } from '@/app/api/me/settings/route';
import { closeDb } from '@/lib/db/pool';
import { call, createOrganiser } from './support';

afterAll(async () => {
  await closeDb();
});

describe("the organiser's default currency", () => {
  it('is unset for a new organiser whatever the language, then set, read back and replayed by its key', async () => {
    const organiser = await createOrganiser();
    const fresh = await call(getSettings, 'GET', '/api/me/settings', { cookie: organiser.cookie, headers: { 'accept-language': 'ru' } });
    expect(fresh.status, fresh.text).toBe(200);
    expect(fresh.json).toMatchObject({ data: { settings: { defaultCurrency: null } } });

    const key = randomUUID();
    const set = await call(patchSettings, 'PATCH', '/api/me/settings', { cookie: organiser.cookie, key, body: { defaultCurrency: 'CHF' } });
    expect(set.status, set.text).toBe(200);
    expect(set.json).toMatchObject({ data: { settings: { defaultCurrency: 'chf' } } });
    const read = await call(getSettings, 'GET', '/api/me/settings', { cookie: organiser.cookie });
    expect(read.json).toMatchObject({ data: { settings: { defaultCurrency: 'chf' } } });

    // The same key with another body is the contract's mismatch, not a second change.
    const mismatch = await call(patchSettings, 'PATCH', '/api/me/settings', { cookie: organiser.cookie, key, body: { defaultCurrency: 'usd' } });
    expect(mismatch.status).toBe(422);
    const again = await call(getSettings, 'GET', '/api/me/settings', { cookie: organiser.cookie });
    expect(again.json).toMatchObject({ data: { settings: { defaultCurrency: 'chf' } } });
  });

  it('refuses what is not a currency, naming the field', async () => {
    const organiser = await createOrganiser();
    for (const defaultCurrency of ['euro', 'xyz', '', 12]) {
      const res = await call(patchSettings, 'PATCH', '/api/me/settings', { cookie: organiser.cookie, key: randomUUID(), body: { defaultCurrency } });
      expect(res.status, `${String(defaultCurrency)}: ${res.text}`).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { defaultCurrency: [expect.stringContaining('EUR')] } } });
    }
    const read = await call(getSettings, 'GET', '/api/me/settings', { cookie: organiser.cookie });
    expect(read.json).toMatchObject({ data: { settings: { defaultCurrency: null } } });
  });

  it('is one organiser’s own', async () => {
    const [one, other] = await Promise.all([createOrganiser(), createOrganiser()]);
    await call(patchSettings, 'PATCH', '/api/me/settings', { cookie: one.cookie, key: randomUUID(), body: { defaultCurrency: 'gbp' } });
    const read = await call(getSettings, 'GET', '/api/me/settings', { cookie: other.cookie });
    expect(read.json).toMatchObject({ data: { settings: { defaultCurrency: null } } });
    expect((await call(getSettings, 'GET', '/api/me/settings')).status).toBe(401);
  });
});
