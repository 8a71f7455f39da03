// Webhook delivery hygiene (items 12c, 12d), against the real route handler,
// the real worker and a real database: a delivery's recorded error names no
// address a host resolved to and no TLS internals; and the DNS lookup of a
// target (at creation, at delivery) runs while no pooled connection is checked
// out, i.e. outside any transaction and lock. The lookup is node's own,
// wrapped to note the pool's state while it runs.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as postEndpoint } from '@/app/api/webhook-endpoints/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { webhookDeliveries, webhookEndpoints } from '@/lib/db/schema';
import { webhookConfig, type WebhookConfig } from '@/lib/webhooks/config';
import { emitWebhook } from '@/lib/webhooks/emit';
import { startWebhookWorker } from '@/lib/webhooks/worker';
import { call, createOrganiser, type Organiser } from './support';

/** Connections checked out of the pool at each lookup, as the lookup starts and again after a pause. */
const checkedOutDuringLookup: number[] = [];

vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  const { getPool: pool } = await import('@/lib/db/pool');
  const checkedOut = () => pool().totalCount - pool().idleCount;
  const lookup = async (...args: Parameters<typeof real.lookup>) => {
    checkedOutDuringLookup.push(checkedOut());
    // A slow resolver: anything that held a connection across the lookup still holds it now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    checkedOutDuringLookup.push(checkedOut());
    return real.lookup(...args);
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

const IP = /\b\d{1,3}(\.\d{1,3}){3}\b|::1|\[?[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\]?/i;

let organiser: Organiser;
let server: http.Server;
let port: number;

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
  organiser = await createOrganiser('Hygiene Organiser');
  // A plain-HTTP receiver: an https:// URL to it fails in the TLS handshake with OpenSSL's own words.
  server = http.createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await closeDb();
});

const config = (allowPrivate: boolean): WebhookConfig => ({
  ...webhookConfig(),
  pollMs: 60_000, // claims once at start (and when a slot frees): no poll overlaps the lookup
  // One delivery at a time: no other delivery (another test's endpoint, or another file's in the shared
  // database) writes its outcome while this one's lookup runs.
  concurrency: 1,
  timeoutMs: 2000,
  retryScheduleMs: [60_000],
  allowPrivate,
});

/**
 * An endpoint row straight in the table (as if created when its host was
 * public), one delivery for it, and the worker's first attempt: its row once
 * settled. The worker polls rarely (it claims once at start), and this waits
 * for the lookup in memory before reading the table, so nothing else holds a
 * connection while the lookup runs.
 */
async function firstAttempt(url: string, allowPrivate: boolean): Promise<{ status: string; lastError: string | null }> {
  // Only this endpoint listens: an endpoint an earlier test created would get a delivery of its own.
  await getDb().delete(webhookEndpoints).where(eq(webhookEndpoints.teamId, organiser.id));
  const [endpoint] = await getDb().insert(webhookEndpoints).values({ teamId: organiser.id, url, events: ['event.cancelled'], secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).returning();
  if (!endpoint) throw new Error('no endpoint');
  await getDb().transaction((tx) => emitWebhook(tx, { teamId: organiser.id, type: 'event.cancelled', data: { probe: randomUUID() } }));
  checkedOutDuringLookup.length = 0;
  const worker = startWebhookWorker({ db: getDb(), config: config(allowPrivate) });
  try {
    for (let i = 0; i < 200 && checkedOutDuringLookup.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    for (let i = 0; i < 200; i++) {
      const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      if (row && row.attempts >= 1 && row.status !== 'sending') return row;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('no attempt recorded');
  } finally {
    await worker.stop();
    await getDb().delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
  }
}

async function firstAttemptError(url: string, allowPrivate: boolean): Promise<string | null> {
  return (await firstAttempt(url, allowPrivate)).lastError;
}

describe('delivery errors name no address (item 12c)', () => {
  it('a host resolving to a private address: "not a public address", and no IP in the recorded error', async () => {
    const error = await firstAttemptError(`https://localhost:${port}/hook`, false);
    expect(error).toMatch(/not a public address/);
    expect(error).not.toMatch(IP);
    expect(error).not.toMatch(/127\.0\.0\.1/);
  });

  it('a TLS failure is "TLS handshake failed", without OpenSSL\'s words', async () => {
    const error = await firstAttemptError(`https://localhost:${port}/hook`, true);
    expect(error).toBe('TLS handshake failed');
  });

  it('a refused connection names no address', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await firstAttemptError(`http://localhost:${closedPort}/hook`, true);
    expect(error).toBe('connection refused');
  });
});

describe('DNS before the transaction (item 12d)', () => {
  it('POST /api/webhook-endpoints resolves the host while no pooled connection is checked out', async () => {
    checkedOutDuringLookup.length = 0;
    const res = await call(postEndpoint, 'POST', '/api/webhook-endpoints', {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { url: `http://localhost:${port}/created`, events: ['event.cancelled'] },
    });
    expect(res.status, res.text).toBe(201);
    expect(checkedOutDuringLookup.length).toBeGreaterThan(0);
    expect(checkedOutDuringLookup.every((n) => n === 0), JSON.stringify(checkedOutDuringLookup)).toBe(true);
    // A refused host is still 400 on url, and its record failed (a retry of the key may run again).
    const refused = await call(postEndpoint, 'POST', '/api/webhook-endpoints', {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { url: 'http://no-such-host.invalid/x', events: ['event.cancelled'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { url: [expect.any(String)] } } });
  });

  it('the worker resolves a delivery\'s host with no connection checked out (its claim has committed)', async () => {
    const row = await firstAttempt(`http://localhost:${port}/delivered`, true);
    expect(row.status).toBe('delivered');
    expect(checkedOutDuringLookup.length).toBeGreaterThan(0);
    expect(checkedOutDuringLookup.every((n) => n === 0), JSON.stringify(checkedOutDuringLookup)).toBe(true);
  });
});
