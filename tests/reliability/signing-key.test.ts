// One signing key per deployment, whatever fails first: two instances on a
// fresh database, the first order on instance a fails (an unknown event, so
// its transaction rolls back), instance b registers a guest. Both must then
// give the guest the same code and the door the same verifyKey, and a scan on
// a admits the code b gave (a key cached from a rolled-back transaction would
// make b's codes forged at a's door).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, request, signUp } from './harness/client';
import { startScenario, type Scenario } from './harness/scenario';

type Data<T> = { data: T };
const dataOf = <T>(res: { json: unknown }): T => (res.json as Data<T>).data;

describe('the ticket-code key across two instances', () => {
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await startScenario('keys', { instances: [{ name: 'a' }, { name: 'b' }] });
  });
  afterAll(async () => scenario?.close());

  it('is one key after the first order on instance a fails: same code and verifyKey on both, and a admits the code b gave', async () => {
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
});
