// Time that decides behaviour comes from the service clock (lib/clock.ts), so a
// test moves it instead of sleeping or rewriting rows: an event "has started"
// and a rate-limit window "has lapsed" by clock().
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { POST as postApiKey } from '@/app/api/api-keys/route';
import { GET as listEvents, POST as postEvent } from '@/app/api/events/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb } from '@/lib/db/pool';
import { call, createOrganiser } from './support';
import { validEventBody } from '../support/event-body';

const DAY = 24 * 3600 * 1000;

afterEach(() => {
  setClock(undefined);
  vi.unstubAllEnvs();
});
afterAll(closeDb);

const errorCode = (res: { json: Record<string, unknown> | null }) => (res.json as { error?: { code?: string } }).error?.code;

describe('the service clock', () => {
  it('closes registration once it passes the event’s start', async () => {
    const organiser = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody() });
    expect(created.status, created.text).toBe(201);
    const { slug } = (created.json as { data: { event: { slug: string } } }).data.event;
    const register = (email: string) =>
      call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, { key: randomUUID(), body: { name: 'Ann', email }, params: { slug } });

    const clock = manualClock();
    setClock(clock);
    expect((await register('early@example.com')).status).toBe(201);
    clock.advance(31 * DAY); // the event starts 30 days out
    const late = await register('late@example.com');
    expect(late.status).toBe(409);
    expect(errorCode(late)).toBe('REGISTRATION_CLOSED');
  });

  it('starts an API key’s rate-limit minute again once it has moved a minute', async () => {
    const organiser = await createOrganiser();
    const made = await call(postApiKey, 'POST', '/api/api-keys', { cookie: organiser.cookie, key: randomUUID(), body: { name: 'clocked' } });
    expect(made.status, made.text).toBe(201);
    const { secret } = (made.json as { data: { secret: string } }).data;
    const me = () => call(listEvents, 'GET', '/api/events', { headers: { authorization: `Bearer ${secret}` } });

    vi.stubEnv('API_KEY_RATE_LIMIT', '2');
    const clock = manualClock();
    setClock(clock);
    expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(200);
    const refused = await me();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(60);
    clock.advance(59_000);
    expect((await me()).status).toBe(429);
    clock.advance(1_000);
    expect((await me()).status).toBe(200);
  });
});
