// Two instances, one database: one ticket-code key whatever fails first (the
// first test, on the scenario's fresh database), and duplicates of one key
// raced over both instances at once still create exactly one event per key.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, idempotencyKeys } from '@/lib/db/schema';
import { errorCode, eventBody, eventIdOf, isEnvelope, request, signUp, type ApiResponse } from './harness/client';
import { pooled, startScenario, type Scenario } from './harness/scenario';

type Data<T> = { data: T };
const dataOf = <T>(res: { json: unknown }): T => (res.json as Data<T>).data;

const KEYS = 40;
const REQUESTS = 400;

describe('two instances, one database', () => {
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await startScenario('two', { instances: [{ name: 'a' }, { name: 'b' }] });
  });
  afterAll(async () => scenario?.close());

  // The first order on instance a fails (an unknown event, so its transaction rolls back) and
  // instance b registers a guest: both give the same code and the door the same verifyKey, and a admits
  // the code b gave (a key cached from a rolled-back transaction would make b's codes forged at a's door).
  it('one ticket-code key after the first order on instance a fails: same code and verifyKey on both, and a admits the code b gave', async () => {
    const [a, b] = scenario.instances;
    if (!a || !b) throw new Error('two instances expected');

    const failed = await request(a.url, 'POST', '/api/public/events/no-such-event-here/orders', {
      key: randomUUID(),
      body: { name: 'Guest', email: 'guest@example.com', items: [{ ticketTypeId: randomUUID(), quantity: 1 }] },
    });
    expect(failed.status, failed.text).toBe(404);

    const organiser = await signUp(b.url, 'Door');
    const created = await request(b.url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody({ maxParticipants: 5 }) });
    expect(created.status, created.text).toBe(201);
    const event = dataOf<{ event: { id: string; slug: string } }>(created).event;
    const registered = await request(b.url, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      body: { name: 'First Guest', email: `first-${randomUUID().slice(0, 6)}@example.com` },
    });
    expect(registered.status, registered.text).toBe(201);
    const token = dataOf<{ manageUrl: string }>(registered).manageUrl.replace(/^\/r\//, '');

    const codes = await Promise.all(
      [b, a].map(async (instance) => {
        const read = await request(instance.url, 'GET', `/api/public/registrations/${token}`);
        expect(read.status, read.text).toBe(200);
        return dataOf<{ registration: { code: string | null } }>(read).registration.code;
      }),
    );
    expect(codes[0]).toBeTruthy();
    expect(codes[1]).toBe(codes[0]);

    const verifyKeys = await Promise.all(
      [a, b].map(async (instance) => {
        const snapshot = await request(instance.url, 'GET', `/api/events/${event.id}/check-in/snapshot`, { cookie: organiser.cookie });
        expect(snapshot.status, snapshot.text).toBe(200);
        return dataOf<{ verifyKey: string }>(snapshot).verifyKey;
      }),
    );
    expect(verifyKeys[1]).toBe(verifyKeys[0]);

    const scanned = await request(a.url, 'POST', `/api/events/${event.id}/check-in/scans`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { deviceId: 'door-a', scans: [{ nonce: randomUUID(), code: codes[0], scannedAt: new Date().toISOString() }] },
    });
    expect(scanned.status, scanned.text).toBe(200);
    expect(dataOf<{ results: { result: string }[] }>(scanned).results[0]?.result).toBe('admitted');
  });


  it(`${REQUESTS} creates over ${KEYS} keys, spread over both at once: exactly ${KEYS} events, no 5xx, one event id per key`, async () => {
    const [a, b] = scenario.instances;
    if (!a || !b) throw new Error('two instances expected');
    const organiser = await signUp(a.url, 'Racer');
    const keys = Array.from({ length: KEYS }, (_, i) => ({ key: randomUUID(), body: eventBody({ title: `Race ${i}` }) }));

    // Request i uses key i % 40; its instance alternates every 40, so every key
    // is sent 5 times to each instance, all 400 in flight together.
    const tasks = Array.from({ length: REQUESTS }, (_, i) => {
      const { key, body } = keys[i % KEYS]!;
      const instance = Math.floor(i / KEYS) % 2 === 0 ? a : b;
      return async () => ({
        i,
        instance: instance.name,
        res: await request(instance.url, 'POST', '/api/events', { cookie: organiser.cookie, key, body }),
      });
    });
    const results = await pooled(tasks, REQUESTS);

    const fiveXX = results.filter((r) => r.res.status >= 500);
    expect(fiveXX.map((r) => `${r.res.status} ${r.res.text.slice(0, 200)}`)).toEqual([]);
    for (const { res } of results) {
      expect(isEnvelope(res)).toBe(true);
      // Only stored/replayed answers or "in progress, retry" for a racing duplicate.
      if (res.status !== 201) expect([res.status, errorCode(res)]).toEqual([409, 'REQUEST_IN_PROGRESS']);
    }
    // Both instances answered with a stored or replayed event.
    const createdBy = new Set(results.filter((r) => r.res.status === 201).map((r) => r.instance));
    expect(createdBy.size).toBe(2);

    // Each key: every 201 during the race names the same event, and so does a
    // replay afterwards from each instance.
    const idsByKey = new Map<string, Set<string>>();
    results.forEach(({ i, res }) => {
      const id = eventIdOf(res);
      if (id) {
        const key = keys[i % KEYS]!.key;
        idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(id));
      }
    });
    const replays: ApiResponse[] = await Promise.all(
      keys.flatMap(({ key, body }) => [a, b].map((x) => request(x.url, 'POST', '/api/events', { cookie: organiser.cookie, key, body }))),
    );
    replays.forEach((res, n) => {
      expect(res.status).toBe(201);
      expect(res.headers.get('x-idempotency-replay')).toBe('true');
      const key = keys[Math.floor(n / 2)]!.key;
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(eventIdOf(res)!));
    });
    for (const { key } of keys) expect(idsByKey.get(key)?.size, `event ids for key ${key}`).toBe(1);

    const db = scenario.database.db;
    const [eventRows] = await db.select({ n: count() }).from(events).where(eq(events.teamId, organiser.id));
    expect(eventRows?.n).toBe(KEYS);
    const distinctIds = new Set([...idsByKey.values()].flatMap((s) => [...s]));
    expect(distinctIds.size).toBe(KEYS);
    const records = await db.select({ status: idempotencyKeys.status }).from(idempotencyKeys).where(eq(idempotencyKeys.userId, organiser.id));
    expect(records.map((r) => r.status)).toEqual(Array.from({ length: KEYS }, () => 'completed'));
  });
});
