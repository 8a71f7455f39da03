// Outgoing webhooks through the real route handlers, the real
// worker and a real HTTP receiver on this machine: each change writes one
// delivery per subscribed endpoint in its transaction; the receiver checks
// every signature with the `standardwebhooks` package; retries after a 500
// and after a timeout keep the `webhook-id`; 410 disables the endpoint; a
// slow receiver holds no other endpoint back; private targets are refused
// without WEBHOOKS_ALLOW_PRIVATE (at creation and again at delivery); and a
// worker killed mid-delivery leaves the message to another, same id.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { POST as postEvent } from '@/app/api/events/route';
import { DELETE as deleteEndpoint } from '@/app/api/webhook-endpoints/[id]/route';
import { GET as listDeliveries } from '@/app/api/webhook-endpoints/[id]/deliveries/route';
import { POST as retryDelivery } from '@/app/api/webhook-endpoints/[id]/deliveries/[did]/retry/route';
import { POST as sendTest } from '@/app/api/webhook-endpoints/[id]/test/route';
import { GET as listEndpoints, POST as postEndpoint } from '@/app/api/webhook-endpoints/route';
import type { WebhookEventType } from '@/lib/enums';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import { closeDb, getDb } from '@/lib/db/pool';
import { webhookDeliveries } from '@/lib/db/schema';
import { renderMetrics } from '@/lib/metrics/scrape';
import { resolveTarget } from '@/lib/webhooks/address';
import { webhookConfig, type WebhookConfig } from '@/lib/webhooks/config';
import { emitWebhook } from '@/lib/webhooks/emit';
import type { WebhookDeliveryDto, WebhookEndpointDto } from '@/lib/webhooks/schemas';
import { postTo } from '@/lib/webhooks/send';
import { claimDueDeliveries } from '@/lib/webhooks/store';
import { signedHeaders, startWebhookWorker, type WebhookWorker } from '@/lib/webhooks/worker';
import { call, createOrganiser, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

// ---- a receiver: each path answers as its script says, and keeps what it got ----

type Answer = number | 'hang';
type Received = { path: string; headers: Record<string, string>; body: string; at: number };

class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly open = new Map<string, number>();
  /** The most requests of a path held open at the same time. */
  readonly mostOpen = new Map<string, number>();
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pathName = req.url ?? '/';
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      this.received.push({ path: pathName, headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const script = this.scripts.get(pathName) ?? [];
      const answer = script.length > 1 ? script.shift() : script[0];
      if (answer === 'hang') {
        this.hanging.add(res);
        // How many of this path's requests are held open at once (a sender that gave up closes its own).
        const open = (this.open.get(pathName) ?? 0) + 1;
        this.open.set(pathName, open);
        this.mostOpen.set(pathName, Math.max(open, this.mostOpen.get(pathName) ?? 0));
        res.on('close', () => this.open.set(pathName, (this.open.get(pathName) ?? 1) - 1));
        return;
      }
      res.writeHead(answer ?? 200).end('ok');
    });
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A new path answering `answers` in turn (the last one from then on). */
  path(...answers: Answer[]): string {
    const p = `/hook-${randomUUID().slice(0, 8)}`;
    this.scripts.set(p, answers.length ? answers : [200]);
    return p;
  }

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  at(p: string): Received[] {
    return this.received.filter((r) => r.path === p);
  }

  async waitFor(p: string, count: number, timeoutMs = 15_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    while (this.at(p).length < count) {
      if (Date.now() > until) throw new Error(`${p}: ${this.at(p).length} of ${count} deliveries after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.at(p);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---- setup ----------------------------------------------------------------

const receiver = new Receiver();
let worker: WebhookWorker | null = null;
let organiser: Organiser;
// Generous for a receiver in this same process: in CI the suite shares two cores with the build, and an answer later than this is retried.
const TIMEOUT_MS = 3000;
const testConfig = (): WebhookConfig => ({
  ...webhookConfig(),
  pollMs: 50,
  timeoutMs: TIMEOUT_MS,
  leaseMs: 2 * TIMEOUT_MS + 2000,
  retryScheduleMs: [100, 100, 100],
  concurrency: 8,
  perEndpoint: 2,
  allowPrivate: true,
});

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
  await receiver.start();
  worker = startWebhookWorker({ db: getDb(), config: testConfig() });
  organiser = await createOrganiser('Webhook Organiser');
});

afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await closeDb();
});

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;

async function createEndpoint(url: string, events: WebhookEventType[] = ['registration.created'], who = organiser) {
  const res = await call(postEndpoint, 'POST', '/api/webhook-endpoints', { cookie: who.cookie, key: randomUUID(), body: { url, events } });
  expect(res.status, res.text).toBe(201);
  return data<{ endpoint: WebhookEndpointDto; secret: string }>(res);
}

async function deliveriesOf(endpointId: string, who = organiser): Promise<WebhookDeliveryDto[]> {
  const res = await call(listDeliveries, 'GET', `/api/webhook-endpoints/${endpointId}/deliveries`, { cookie: who.cookie, params: { id: endpointId } });
  expect(res.status, res.text).toBe(200);
  return data<{ deliveries: WebhookDeliveryDto[] }>(res).deliveries;
}

async function waitForDelivery(who: Organiser, endpointId: string, done: (d: WebhookDeliveryDto) => boolean, timeoutMs = 15_000): Promise<WebhookDeliveryDto> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await deliveriesOf(endpointId, who)).find(done);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no delivery of ${endpointId} reached the expected state: ${JSON.stringify(await deliveriesOf(endpointId, who))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A message straight through emitWebhook, in a transaction of its own; how many deliveries it wrote. */
async function emit(type: WebhookEventType, payload: Record<string, unknown> = { probe: randomUUID() }, who = organiser): Promise<number> {
  const count = async () =>
    (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where e.team_id = ${who.id}`)).rows[0]?.n ?? 0;
  const before = await count();
  await getDb().transaction((tx) => emitWebhook(tx, { teamId: who.id, type, data: payload }));
  return (await count()) - before;
}

function verified(secret: string, got: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(got.body, got.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
}

// ---- the tests ------------------------------------------------------------

describe('webhook endpoints', () => {
  it('creates an endpoint with a whsec_ secret shown once, and lists it without the secret', async () => {
    const p = receiver.path();
    const { endpoint, secret } = await createEndpoint(receiver.url(p), ['event.updated', 'registration.created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(endpoint).toMatchObject({ url: receiver.url(p), events: ['registration.created', 'event.updated'], status: 'enabled' });
    const listed = await call(listEndpoints, 'GET', '/api/webhook-endpoints', { cookie: organiser.cookie });
    expect(listed.text).not.toContain(secret);
    expect(data<{ endpoints: WebhookEndpointDto[] }>(listed).endpoints.map((e) => e.id)).toContain(endpoint.id);
  });

  it('validates the URL and the event types', async () => {
    const bad = async (body: unknown) => {
      const res = await call(postEndpoint, 'POST', '/api/webhook-endpoints', { cookie: organiser.cookie, key: randomUUID(), body });
      expect(res.status).toBe(400);
      return (res.json as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors;
    };
    expect(Object.keys(await bad({ url: 'ftp://example.com/x', events: ['registration.created'] }))).toEqual(['url']);
    expect(Object.keys(await bad({ url: 'https://example.com/x', events: [] }))).toEqual(['events']);
    expect(Object.keys(await bad({ url: 'https://example.com/x', events: ['registration.deleted'] }))).toEqual(['events.0']);
  });

  it('refuses private, loopback and link-local targets without WEBHOOKS_ALLOW_PRIVATE, and http too', async () => {
    delete process.env.WEBHOOKS_ALLOW_PRIVATE;
    try {
      const refused = async (url: string) => {
        const res = await call(postEndpoint, 'POST', '/api/webhook-endpoints', { cookie: organiser.cookie, key: randomUUID(), body: { url, events: ['registration.created'] } });
        expect(res.status, url).toBe(400);
        return (res.json as { error: { fieldErrors: Record<string, string[]> } }).error.fieldErrors.url?.length;
      };
      for (const url of [
        'https://127.0.0.1/hook',
        'https://localhost/hook',
        'https://10.0.0.8/hook',
        'https://192.168.1.1/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://[::1]/hook',
        'https://[fe80::1]/hook',
        'https://[fd00::1]/hook',
        'https://[::ffff:127.0.0.1]/hook',
        'https://[::ffff:a9fe:a9fe]/hook',
        'http://93.184.215.14/hook',
      ]) {
        expect(await refused(url)).toBe(1);
      }
    } finally {
      process.env.WEBHOOKS_ALLOW_PRIVATE = '1';
    }
  });

  it("is one organiser's: another gets 404 for its deliveries, retry, test and delete", async () => {
    const { endpoint } = await createEndpoint(receiver.url(receiver.path()));
    const other = await createOrganiser();
    const opts = { cookie: other.cookie, key: randomUUID(), params: { id: endpoint.id } };
    expect((await call(listDeliveries, 'GET', `/api/webhook-endpoints/${endpoint.id}/deliveries`, opts)).status).toBe(404);
    expect((await call(sendTest, 'POST', `/api/webhook-endpoints/${endpoint.id}/test`, opts)).status).toBe(404);
    expect((await call(deleteEndpoint, 'DELETE', `/api/webhook-endpoints/${endpoint.id}`, opts)).status).toBe(404);
    const own = await call(deleteEndpoint, 'DELETE', `/api/webhook-endpoints/${endpoint.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: endpoint.id } });
    expect(own.status).toBe(204);
  });
});

describe('delivery', () => {
  it('delivers a registration, signed as Standard Webhooks, once per change, to subscribed endpoints only', async () => {
    const who = await createOrganiser();
    const subscribed = receiver.path();
    const other = receiver.path();
    const { endpoint, secret } = await createEndpoint(receiver.url(subscribed), ['registration.created'], who);
    await createEndpoint(receiver.url(other), ['event.cancelled'], who);

    const created = await call(postEvent, 'POST', '/api/events', { cookie: who.cookie, key: randomUUID(), body: validEventBody() });
    expect(created.status).toBe(201);
    const event = data<{ event: { id: string; slug: string } }>(created).event;
    const key = randomUUID();
    const body = { name: 'Ann', email: `ann-${randomUUID().slice(0, 6)}@example.com` };
    const registered = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, { key, body, params: { slug: event.slug } });
    expect(registered.status, registered.text).toBe(201);
    // A replay of the same request writes no second message.
    const replay = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, { key, body, params: { slug: event.slug } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const registration = data<{ registration: { id: string } }>(registered).registration;

    const [got] = await receiver.waitFor(subscribed, 1);
    if (!got) throw new Error('nothing received');
    const message = verified(secret, got);
    expect(message.type).toBe('registration.created');
    expect(message.data).toMatchObject({ registration: { id: registration.id, eventId: event.id, status: 'confirmed', email: body.email } });
    expect(Math.abs(Number(got.headers['webhook-timestamp']) * 1000 - Date.now())).toBeLessThan(60_000);
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(got.body, got.headers)).toThrow();

    const delivered = await waitForDelivery(who, endpoint.id, (d) => d.status === 'delivered');
    expect(delivered).toMatchObject({ messageId: got.headers['webhook-id'], type: 'registration.created', attempts: 1, lastStatusCode: 200, nextAttemptAt: null });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.at(subscribed)).toHaveLength(1);
    expect(receiver.at(other)).toHaveLength(0);
  });

  it('retries after a 500 and after a timeout with the same webhook-id, each attempt signed', async () => {
    const who = await createOrganiser();
    const p = receiver.path(500, 'hang', 200);
    const { endpoint, secret } = await createEndpoint(receiver.url(p), ['event.updated'], who);
    await emit('event.updated', { event: { id: randomUUID() } }, who);
    const attempts = await receiver.waitFor(p, 3);
    const ids = new Set(attempts.map((a) => a.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const a of attempts) expect(verified(secret, a).type).toBe('event.updated');
    // The timed-out attempt was given up on after about the timeout, not waited for.
    const second = attempts[1]?.at ?? 0;
    const third = attempts[2]?.at ?? 0;
    expect(third - second).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(third - second).toBeLessThan(TIMEOUT_MS + 3000);
    const delivered = await waitForDelivery(who, endpoint.id, (d) => d.status === 'delivered');
    expect(delivered).toMatchObject({ attempts: 3, lastStatusCode: 200, messageId: [...ids][0] });
  });

  it('gives up after the schedule, and the retry button sends the same message again', async () => {
    const who = await createOrganiser();
    const p = receiver.path(503, 503, 503, 503, 200);
    const { endpoint } = await createEndpoint(receiver.url(p), ['registration.cancelled'], who);
    await emit('registration.cancelled', { registration: { id: randomUUID() } }, who);
    const failed = await waitForDelivery(who, endpoint.id, (d) => d.status === 'failed');
    expect(failed).toMatchObject({ attempts: 4, lastStatusCode: 503, nextAttemptAt: null });
    const retried = await call(retryDelivery, 'POST', `/api/webhook-endpoints/${endpoint.id}/deliveries/${failed.id}/retry`, {
      cookie: who.cookie,
      key: randomUUID(),
      params: { id: endpoint.id, did: failed.id },
    });
    expect(retried.status, retried.text).toBe(202);
    expect(data<{ delivery: WebhookDeliveryDto }>(retried).delivery).toMatchObject({ id: failed.id, status: 'pending' });
    const delivered = await waitForDelivery(who, endpoint.id, (d) => d.status === 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, attempts: 5, lastStatusCode: 200 });
    expect(new Set(receiver.at(p).map((r) => r.headers['webhook-id']))).toEqual(new Set([failed.messageId]));
  });

  it('disables the endpoint on 410: nothing more is written for it; a test message enables it again', async () => {
    const who = await createOrganiser();
    const p = receiver.path(410, 200);
    const { endpoint, secret } = await createEndpoint(receiver.url(p), ['event.updated'], who);
    await emit('event.updated', {}, who);
    const gone = await waitForDelivery(who, endpoint.id, (d) => d.status === 'failed');
    expect(gone).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    const listed = await call(listEndpoints, 'GET', '/api/webhook-endpoints', { cookie: who.cookie });
    const shown = data<{ endpoints: WebhookEndpointDto[] }>(listed).endpoints.find((e) => e.id === endpoint.id);
    expect(shown).toMatchObject({ status: 'disabled', disabledAt: expect.any(String) });
    expect(await emit('event.updated', {}, who)).toBe(0);

    const test = await call(sendTest, 'POST', `/api/webhook-endpoints/${endpoint.id}/test`, { cookie: who.cookie, key: randomUUID(), params: { id: endpoint.id } });
    expect(test.status, test.text).toBe(202);
    const received = await receiver.waitFor(p, 2);
    const last = received[1];
    if (!last) throw new Error('no test message');
    expect(verified(secret, last)).toMatchObject({ type: 'webhook.test', data: { endpoint: { id: endpoint.id } } });
    const after = await call(listEndpoints, 'GET', '/api/webhook-endpoints', { cookie: who.cookie });
    expect(data<{ endpoints: WebhookEndpointDto[] }>(after).endpoints.find((e) => e.id === endpoint.id)?.status).toBe('enabled');
  });

  it('lets no slow receiver hold back another endpoint', async () => {
    const who = await createOrganiser();
    const slow = receiver.path('hang');
    const fast = receiver.path(200);
    const slowEndpoint = await createEndpoint(receiver.url(slow), ['checkin.admitted'], who);
    await createEndpoint(receiver.url(fast), ['order.paid'], who);
    for (let i = 0; i < 10; i += 1) await emit('checkin.admitted', { scan: { n: i } }, who);
    await receiver.waitFor(slow, 2); // its two slots are taken, hanging
    const sentAt = Date.now();
    await emit('order.paid', { order: { id: randomUUID() } }, who);
    const [got] = await receiver.waitFor(fast, 1);
    expect((got?.at ?? Number.POSITIVE_INFINITY) - sentAt).toBeLessThan(TIMEOUT_MS);
    // The slow endpoint never has more than its two in flight (a timed-out attempt frees its slot for the retry).
    expect(receiver.mostOpen.get(slow)).toBe(2);
    await call(deleteEndpoint, 'DELETE', `/api/webhook-endpoints/${slowEndpoint.endpoint.id}`, { cookie: who.cookie, key: randomUUID(), params: { id: slowEndpoint.endpoint.id } });
  });

  it('checks the address again at delivery: without WEBHOOKS_ALLOW_PRIVATE a private target gets nothing', async () => {
    const who = await createOrganiser();
    const p = receiver.path(200);
    // Allowed when created (WEBHOOKS_ALLOW_PRIVATE=1); by delivery the rules are strict, as after a DNS change.
    const { endpoint } = await createEndpoint(`https://localhost:${receiver.port}${p}`, ['event.cancelled'], who);
    await worker?.stop();
    const strict = startWebhookWorker({ db: getDb(), config: { ...testConfig(), allowPrivate: false } });
    try {
      await emit('event.cancelled', {}, who);
      const refused = await waitForDelivery(who, endpoint.id, (d) => d.attempts >= 1 && d.status !== 'sending' && d.lastError !== null);
      // Said without the address it resolved to (tests/integration/webhook-hygiene.test.ts).
      expect(refused.lastError).toBe('not a public address');
      expect(refused.lastStatusCode).toBeNull();
      expect(receiver.at(p)).toHaveLength(0);
    } finally {
      await strict.stop();
      await getDb().delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      worker = startWebhookWorker({ db: getDb(), config: testConfig() });
    }
  });
});

describe('metrics', () => {
  it('reports the webhooks outbox at scrape time: depth, failed, endpoints disabled by a 410', async () => {
    const { text } = await renderMetrics();
    for (const name of ['webhook_depth', 'webhook_oldest_pending_age_seconds', 'webhook_failed', 'webhook_endpoints_disabled']) {
      expect(text).toMatch(new RegExp(`^event_app_${name} \\d+(\\.\\d+)?$`, 'm'));
    }
    // The 410 test above left its answered-410 delivery failed.
    expect(Number(text.match(/^event_app_webhook_failed (\d+)/m)?.[1])).toBeGreaterThanOrEqual(1);
  });
});

describe('a worker killed mid-delivery', () => {
  // On a real Postgres the first worker is its own process (npm run webhook-worker), killed with
  // SIGKILL while the receiver holds its request. The embedded database serves one process only,
  // so there the first worker's steps (claim, signed POST) are run by hand and then abandoned:
  // the same rows and the same request, and no mark, as after a kill.
  async function firstWorkerDiesDelivering(p: string): Promise<void> {
    if (isEmbeddedUrl(process.env.DATABASE_URL ?? '')) {
      const [row] = await claimDueDeliveries(getDb(), { workerId: 'doomed', limit: 1, leaseMs: 3000, perEndpoint: 1 });
      if (!row) throw new Error('nothing to claim');
      const body = JSON.stringify(row.payload);
      void postTo(await resolveTarget(row.url, true), body, signedHeaders(row, body), 60_000).catch(() => undefined);
      await receiver.waitFor(p, 1);
      return;
    }
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/webhook-worker.ts')], {
      env: { ...process.env, WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOKS_TIMEOUT_MS: '3000', WEBHOOKS_LEASE_MS: '8000', WEBHOOKS_POLL_MS: '50', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    try {
      // A fresh tsx process compiles its imports first: on a busy machine that alone can take a minute.
      await receiver.waitFor(p, 1, 120_000).catch((error: Error) => {
        throw new Error(`${error.message}; the worker said: ${stderr}`);
      });
    } finally {
      // The receiver has the message; the worker waits for its answer: kill it there.
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  }

  it('leaves the message to another worker, which sends it again with the same webhook-id', async () => {
    const who = await createOrganiser();
    const p = receiver.path('hang', 200);
    const { endpoint, secret } = await createEndpoint(receiver.url(p), ['registration.created'], who);
    await worker?.stop();
    worker = null;
    try {
      await emit('registration.created', { registration: { id: randomUUID() } }, who);
      await firstWorkerDiesDelivering(p);
      const [first] = receiver.at(p);
      const [row] = await getDb().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(row).toMatchObject({ status: 'sending', attempts: 1 });

      worker = startWebhookWorker({ db: getDb(), config: testConfig() });
      const [, second] = await receiver.waitFor(p, 2);
      expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
      if (second) expect(verified(secret, second).type).toBe('registration.created');
      const delivered = await waitForDelivery(who, endpoint.id, (d) => d.status === 'delivered');
      expect(delivered).toMatchObject({ attempts: 2, messageId: first?.headers['webhook-id'] });
    } finally {
      worker ??= startWebhookWorker({ db: getDb(), config: testConfig() });
    }
  }, 180_000);
});
