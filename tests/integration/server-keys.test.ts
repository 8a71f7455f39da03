// One signing key per deployment, whatever fails first (docs/ssot, "Door
// Check-in Standard"): on a database of its own, the first request of this
// process that needs the key is an order that fails (unknown event, then sold
// out), so a key made inside its transaction would roll back with it. The key
// then stored must be the one the process signs and verifies with.
import { createPrivateKey, createPublicKey, randomUUID, verify } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as postScans } from '@/app/api/events/[id]/check-in/scans/route';
import { GET as getSnapshot } from '@/app/api/events/[id]/check-in/snapshot/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { GET as getRegistration } from '@/app/api/public/registrations/[token]/route';
import { base64UrlDecode, base64UrlEncode, parseCode, signedMessage } from '@/lib/checkin/code-format';
import type { CheckinSnapshot, ScanAnswer } from '@/lib/checkin/schemas';
import { closeDb } from '@/lib/db/pool';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrateDatabase } from '@/lib/db/migrate';
import { call, createOrganiser } from './support';
import { createTestDatabase } from '../setup/global-db';
import { validEventBody } from '../support/event-body';

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const postgres = inject('databaseKind') === 'postgres';
let fresh: { url: string; drop(): Promise<void> } | null = null;
const sharedUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  if (postgres && sharedUrl) {
    fresh = await createTestDatabase(sharedUrl, `it_keys_${Date.now()}_${process.pid}`);
  } else {
    // The embedded kind: a second embedded instance is the database of its own.
    const embedded = await startEmbeddedPostgres({ dataDir: null, port: 55510 });
    fresh = { url: embedded.url, drop: embedded.stop };
  }
  await migrateDatabase(fresh.url);
  // Every route handler of this file runs against the fresh database (lib/db/pool follows DATABASE_URL).
  process.env.DATABASE_URL = fresh.url;
});

afterAll(async () => {
  await closeDb();
  process.env.DATABASE_URL = sharedUrl;
  await fresh?.drop();
});

async function storedSeeds(): Promise<Map<string, string>> {
  if (!fresh) throw new Error('no fresh database');
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; seed: string }>('select id, seed from checkin_signing_keys');
    return new Map(rows.map((row) => [row.id, row.seed]));
  } finally {
    await client.end();
  }
}

/** The raw public key of a stored seed, as the snapshot spells its verifyKey, and a verifier of codes. */
function fromSeed(seed: string) {
  const raw = base64UrlDecode(seed);
  if (!raw) throw new Error('malformed seed');
  const publicKey = createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw]), format: 'der', type: 'pkcs8' }));
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    verifyKey: base64UrlEncode(new Uint8Array(spki.subarray(spki.length - 32))),
    verifies(eventId: string, code: string): boolean {
      const parsed = parseCode(code);
      return parsed !== null && verify(null, signedMessage(eventId, parsed.registrationId), publicKey, parsed.signature);
    },
  };
}

describe('the signing key on a fresh database', () => {
  it('is the stored one after the first order of the process fails (unknown event, then sold out): codes verify with the stored key', async () => {
    const unknown = await call(postOrder, 'POST', '/api/public/events/no-such-event-here/orders', {
      key: randomUUID(),
      params: { slug: 'no-such-event-here' },
      body: { name: 'Guest', email: 'guest@example.com', items: [{ ticketTypeId: randomUUID(), quantity: 1 }] },
    });
    expect(unknown.status, unknown.text).toBe(404);

    const organiser = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: 1 }) });
    expect(created.status, created.text).toBe(201);
    const event = data<{ event: { id: string; slug: string } }>(created).event;
    const registered = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'First Guest', email: `first-${randomUUID().slice(0, 6)}@example.com` },
    });
    expect(registered.status, registered.text).toBe(201);
    // The one seat is taken: an order now fails inside its transaction too.
    const soldOut = await call(postOrder, 'POST', `/api/public/events/${event.slug}/orders`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'Guest', email: 'late@example.com', items: [{ ticketTypeId: randomUUID(), quantity: 1 }] },
    });
    expect(soldOut.status, soldOut.text).toBeGreaterThanOrEqual(400);

    const token = data<{ manageUrl: string }>(registered).manageUrl.replace(/^\/r\//, '');
    const read = await call(getRegistration, 'GET', `/api/public/registrations/${token}`, { params: { token } });
    const ticket = data<{ registration: { id: string; code: string | null } }>(read).registration;
    if (!ticket.code) throw new Error('a confirmed registration has a code');
    const snapshot = await call(getSnapshot, 'GET', `/api/events/${event.id}/check-in/snapshot`, { cookie: organiser.cookie, params: { id: event.id } });
    expect(snapshot.status, snapshot.text).toBe(200);

    // What another instance (or this one after a restart) would read: the stored row.
    const seeds = await storedSeeds();
    const seed = seeds.get('ticket-codes');
    expect(seed, 'the signing key is stored').toBeDefined();
    const stored = fromSeed(seed ?? '');
    expect(data<CheckinSnapshot>(snapshot).verifyKey).toBe(stored.verifyKey);
    expect(stored.verifies(event.id, ticket.code)).toBe(true);
    // Order links have a secret of their own, stored beside the door's key and not equal to it.
    expect(seeds.get('order-links')).toBeDefined();
    expect(seeds.get('order-links')).not.toBe(seed);

    const scanned = await call(postScans, 'POST', `/api/events/${event.id}/check-in/scans`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id },
      body: { deviceId: 'door-1', scans: [{ nonce: randomUUID(), code: ticket.code, scannedAt: new Date().toISOString() }] },
    });
    expect(scanned.status, scanned.text).toBe(200);
    expect(data<{ results: ScanAnswer[] }>(scanned).results[0]?.result).toBe('admitted');
  });
});
