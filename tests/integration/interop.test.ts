// The IETF spellings for outside clients: RFC 9457 problem details
// when Accept prefers them (the envelope stays the default), and
// Idempotent-Replayed beside X-Idempotency-Replay; the OpenAPI document served.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as getMe } from '@/app/api/me/route';
import { GET as getOpenApi } from '@/app/api/openapi.json/route';
import { closeDb } from '@/lib/db/pool';
import { call, createOrganiser } from './support';
import { validEventBody } from '../support/event-body';

afterAll(closeDb);

const PROBLEM = 'application/problem+json';

describe('problem details', () => {
  it('answers an error as RFC 9457 problem details when Accept prefers them, in the request locale', async () => {
    const res = await call(getMe, 'GET', '/api/me', { headers: { accept: PROBLEM, 'accept-language': 'ru' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.json).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: expect.any(String), code: 'UNAUTHENTICATED' });
    expect(String(res.json?.detail)).toMatch(/[а-я]/i);
  });

  it('keeps field errors, and the envelope for a tie or plain JSON', async () => {
    const organiser = await createOrganiser();
    const invalid = await call(postEvent, 'POST', '/api/events', {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: validEventBody({ title: 'x' }),
      headers: { accept: `${PROBLEM}, application/json;q=0.5` },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', title: 'Bad Request', fieldErrors: { title: [expect.any(String)] } });

    for (const accept of ['application/json', `application/json, ${PROBLEM}`, '*/*', `${PROBLEM};q=0.1, */*`]) {
      const res = await call(getMe, 'GET', '/api/me', { headers: { accept } });
      expect(res.headers.get('content-type'), accept).toMatch(/^application\/json/);
      expect(res.json, accept).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('leaves successful answers alone', async () => {
    const organiser = await createOrganiser();
    const res = await call(getMe, 'GET', '/api/me', { cookie: organiser.cookie, headers: { accept: PROBLEM } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: true });
  });
});

describe('replays', () => {
  it('carry Idempotent-Replayed: true beside X-Idempotency-Replay: true, and the first answer neither', async () => {
    const organiser = await createOrganiser();
    const key = randomUUID();
    const body = validEventBody();
    const first = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('x-idempotency-replay')).toBe('true');
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the generated document without a session', async () => {
    const res = await call(getOpenApi, 'GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ openapi: expect.stringMatching(/^3\./), paths: { '/api/webhook-endpoints': { post: expect.any(Object) } } });
  });
});
