// Authorisation over HTTP: a second organiser can neither read a draft nor
// edit, delete or replay anything of the first, by id or by reusing a key.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, idempotencyKeys } from '@/lib/db/schema';
import { errorCode, eventBody, eventIdOf, request, signUp, type ApiResponse, type Organiser } from './harness/client';
import { startScenario, type Scenario } from './harness/scenario';

type EventsPage = { success: true; data: { events: { id: string }[] } };

describe('authorisation', () => {
  let scenario: Scenario;
  let url: string;
  let owner: Organiser;
  let intruder: Organiser;

  beforeAll(async () => {
    scenario = await startScenario('authz', { instances: [{ name: 'a' }] });
    url = scenario.instances[0]!.url;
    [owner, intruder] = await Promise.all([signUp(url, 'Owner'), signUp(url, 'Intruder')]);
  });
  afterAll(async () => scenario?.close());

  const expectNotFound = (res: ApiResponse) => expect([res.status, errorCode(res)]).toEqual([404, 'NOT_FOUND']);

  it('cannot read, edit, delete or replay the owner’s events, by id or by key', async () => {
    const db = scenario.database.db;
    const draftKey = randomUUID();
    const draftBody = eventBody({ title: 'Secret draft', status: 'draft' });
    const draft = await request(url, 'POST', '/api/events', { cookie: owner.cookie, key: draftKey, body: draftBody });
    const publishedKey = randomUUID();
    const publishedBody = eventBody({ title: 'Open event' });
    const published = await request(url, 'POST', '/api/events', { cookie: owner.cookie, key: publishedKey, body: publishedBody });
    const doomedDraft = await request(url, 'POST', '/api/events', { cookie: owner.cookie, key: randomUUID(), body: eventBody({ status: 'draft' }) });
    expect([draft.status, published.status, doomedDraft.status]).toEqual([201, 201, 201]);
    const draftId = eventIdOf(draft)!;
    const publishedId = eventIdOf(published)!;
    const doomedId = eventIdOf(doomedDraft)!;

    // The owner edits and deletes with keys the intruder will then reuse.
    const patchKey = randomUUID();
    const patchBody = { title: 'Renamed by owner' };
    const ownerPatch = await request(url, 'PATCH', `/api/events/${publishedId}`, {
      cookie: owner.cookie, key: patchKey, body: patchBody, headers: { 'if-match': '"1"' },
    });
    expect(ownerPatch.status).toBe(200);
    const deleteKey = randomUUID();
    expect((await request(url, 'DELETE', `/api/events/${doomedId}`, { cookie: owner.cookie, key: deleteKey })).status).toBe(204);

    // Reading: another team's event is not there, draft or published (docs/api.md, "Teams"); the list is the caller's own.
    expectNotFound(await request(url, 'GET', `/api/events/${draftId}`, { cookie: intruder.cookie }));
    expect((await request(url, 'GET', `/api/events/${publishedId}`, { cookie: intruder.cookie })).status).toBe(404);
    const list = await request(url, 'GET', '/api/events?limit=200', { cookie: intruder.cookie });
    expect((list.json as EventsPage).data.events).toEqual([]);

    // Editing and deleting by id: 404, as if the events did not exist.
    for (const [id, version] of [[draftId, '"1"'], [publishedId, '"2"']] as const) {
      expectNotFound(await request(url, 'PATCH', `/api/events/${id}`, {
        cookie: intruder.cookie, key: randomUUID(), body: { title: 'Hijacked' }, headers: { 'if-match': version },
      }));
      expectNotFound(await request(url, 'PATCH', `/api/events/${id}?confirm_credit=1`, {
        cookie: intruder.cookie, key: randomUUID(), body: { status: 'cancelled' }, headers: { 'if-match': version },
      }));
    }
    expectNotFound(await request(url, 'DELETE', `/api/events/${draftId}`, { cookie: intruder.cookie, key: randomUUID() }));

    // Reusing the owner's keys: never the owner's stored answer.
    const replayedPatch = await request(url, 'PATCH', `/api/events/${publishedId}`, {
      cookie: intruder.cookie, key: patchKey, body: patchBody, headers: { 'if-match': '"1"' },
    });
    expectNotFound(replayedPatch);
    expect(replayedPatch.headers.get('x-idempotency-replay')).toBeNull();
    const replayedDelete = await request(url, 'DELETE', `/api/events/${doomedId}`, { cookie: intruder.cookie, key: deleteKey });
    expectNotFound(replayedDelete);
    // The owner's create key with the owner's body makes the intruder's own event, not a replay of the owner's.
    const reusedCreate = await request(url, 'POST', '/api/events', { cookie: intruder.cookie, key: draftKey, body: draftBody });
    expect(reusedCreate.status).toBe(201);
    expect(reusedCreate.headers.get('x-idempotency-replay')).toBeNull();
    const intruderEventId = eventIdOf(reusedCreate)!;
    expect(intruderEventId).not.toBe(draftId);
    expect((reusedCreate.json as { data: { event: { teamId: string } } }).data.event.teamId).toBe(intruder.id);

    // Without a session nothing at all.
    for (const [method, path] of [['GET', `/api/events/${draftId}`], ['PATCH', `/api/events/${draftId}`], ['DELETE', `/api/events/${draftId}`]] as const) {
      const res = await request(url, method, path, { key: randomUUID(), body: method === 'PATCH' ? { title: 'x y z' } : undefined });
      expect([res.status, errorCode(res)]).toEqual([401, 'UNAUTHENTICATED']);
    }

    // The owner's events are as the owner left them, and the owner's replays still answer the owner's results.
    const ownerRows = await db.select({ id: events.id, title: events.title, version: events.version, status: events.status })
      .from(events).where(eq(events.teamId, owner.id));
    expect(ownerRows.sort((x, y) => x.title.localeCompare(y.title))).toEqual([
      { id: publishedId, title: 'Renamed by owner', version: 2, status: 'published' },
      { id: draftId, title: 'Secret draft', version: 1, status: 'draft' },
    ]);
    const ownerReplay = await request(url, 'POST', '/api/events', { cookie: owner.cookie, key: draftKey, body: draftBody });
    expect(ownerReplay.headers.get('x-idempotency-replay')).toBe('true');
    expect(eventIdOf(ownerReplay)).toBe(draftId);
    // The intruder's attempts left no completed record in the owner's name.
    const ownerRecords = await db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.userId, owner.id));
    expect(ownerRecords).toHaveLength(5);
  });
});
