import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as registrationsCsv } from '@/app/api/events/[id]/registrations.csv/route';
import { GET as getCalendar } from '@/app/api/public/events/[slug]/calendar.ics/route';
import { grantCredits } from '@/lib/billing/credits';
import { closeDb, getDb } from '@/lib/db/pool';
import { idempotencyKeys } from '@/lib/db/schema';
import { installMetrics } from '@/lib/metrics/registry';
import { buildRequest, call, createOrganiser, type Organiser } from './support';

const TOKEN = 'metrics-test-token';
const DAY = 24 * 3600 * 1000;

afterAll(closeDb);
afterEach(() => {
  process.env.METRICS_TOKEN = TOKEN;
});

function eventBody(maxParticipants = 20) {
  const starts = new Date(Date.now() + 30 * DAY);
  return {
    title: 'Metrics meetup',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3600 * 1000).toISOString(),
    timezone: 'UTC',
    location: { type: 'online', url: 'https://example.com/m' },
    maxParticipants,
    visibility: 'public',
    status: 'published',
  };
}

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await metricsRoute(buildRequest('GET', '/api/metrics', { headers }));
  const text = await response.text();
  const json = response.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as unknown) : null;
  return { status: response.status, headers: response.headers, text, json };
}

/** The value of one sample line, e.g. `event_app_http_requests_total{…}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => present.includes(w)) && present.length === wanted.length) return Number(match[3]);
  }
  return 0;
}

describe('GET /api/metrics', () => {
  let organiser: Organiser;

  beforeAll(async () => {
    process.env.METRICS_TOKEN = TOKEN;
    installMetrics();
    organiser = await createOrganiser('Metrics');
  });

  it('answers 401 in the envelope without the bearer token, with a wrong one, and when METRICS_TOKEN is unset', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: TOKEN }, { cookie: organiser.cookie }];
    for (const headers of attempts) {
      const res = await scrape(headers);
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    }
    delete process.env.METRICS_TOKEN;
    const unset = await scrape();
    expect(unset.status).toBe(401);
    expect(unset.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('serves Prometheus text with the token and no session', async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE event_app_http_requests_total counter');
    expect(res.text).toContain('# TYPE event_app_http_request_duration_seconds histogram');
    expect(sample(res.text, 'event_app_metrics_database_up')).toBe(1);
  });

  it('counts requests by route template and status, and idempotency outcomes', async () => {
    const labels201 = { method: 'POST', route: '/api/events', status: '201' };
    const before = (await scrape()).text;
    const key = randomUUID();
    const body = eventBody();
    const first = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body });
    const again = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body });
    const reused = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key, body: { ...body, title: 'Other title' } });
    expect([first.status, again.status, reused.status]).toEqual([201, 201, 422]);
    const after = (await scrape()).text;

    const delta = (name: string, l: Record<string, string>) => sample(after, name, l) - sample(before, name, l);
    expect(delta('event_app_http_requests_total', labels201)).toBe(2);
    expect(delta('event_app_http_requests_total', { ...labels201, status: '422' })).toBe(1);
    expect(delta('event_app_http_request_duration_seconds_count', labels201)).toBe(2);
    const outcome = (o: string) => delta('event_app_idempotency_outcomes_total', { method: 'POST', route: '/api/events', outcome: o });
    expect([outcome('stored'), outcome('replayed'), outcome('mismatch'), outcome('failed')]).toEqual([1, 1, 1, 0]);
  });

  it('counts the non-JSON routes too: the CSV export, the calendar file and the scrape itself, with their envelope errors', async () => {
    const before = (await scrape()).text;
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody() });
    const { id, slug } = (created.json as { data: { event: { id: string; slug: string } } }).data.event;
    const stranger = await createOrganiser('Metrics stranger');
    // Read as text: the 200s are CSV and iCalendar, not JSON.
    const read = async (response: Promise<Response>) => {
      const res = await response;
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    };
    const csv = (cookie?: string) =>
      read(registrationsCsv(buildRequest('GET', `/api/events/${id}/registrations.csv`, { cookie }), { params: Promise.resolve({ id }) }));
    const calendar = (s: string) =>
      read(getCalendar(buildRequest('GET', `/api/public/events/${s}/calendar.ics`), { params: Promise.resolve({ slug: s }) }));
    const answers = [await csv(organiser.cookie), await csv(), await csv(stranger.cookie), await calendar(slug), await calendar('no-such-event')];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 200, 404]);
    expect(answers.map((a) => a.type?.split(';')[0])).toEqual(['text/csv', 'application/json', 'application/json', 'text/calendar', 'application/json']);
    expect(JSON.parse(answers[2]?.text ?? '')).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    const after = (await scrape()).text;

    const delta = (route: string, status: string) =>
      sample(after, 'event_app_http_requests_total', { method: 'GET', route, status }) -
      sample(before, 'event_app_http_requests_total', { method: 'GET', route, status });
    const csvRoute = '/api/events/[id]/registrations.csv';
    const calendarRoute = '/api/public/events/[slug]/calendar.ics';
    expect([delta(csvRoute, '200'), delta(csvRoute, '401'), delta(csvRoute, '404')]).toEqual([1, 1, 1]);
    expect([delta(calendarRoute, '200'), delta(calendarRoute, '404')]).toEqual([1, 1]);
    expect(delta('/api/metrics', '200')).toBe(1);
  });

  it('reports credits spent from the ledger: a confirmed upgrade counts once, its replay not again', async () => {
    await grantCredits(getDb(), { teamId: organiser.id, amount: 2, reason: 'test_grant' });
    const before = sample((await scrape()).text, 'event_app_credits_spent_total');
    const key = randomUUID();
    const opts = { cookie: organiser.cookie, key, body: eventBody(500) };
    expect((await call(postEvent, 'POST', '/api/events?confirm_credit=1', opts)).status).toBe(201);
    expect((await call(postEvent, 'POST', '/api/events?confirm_credit=1', opts)).status).toBe(201);
    const after = sample((await scrape()).text, 'event_app_credits_spent_total');
    expect(after - before).toBe(1);
  });

  it('gauges records left in_progress past their lease, and only those', async () => {
    const before = sample((await scrape()).text, 'event_app_idempotency_stuck_in_progress');
    const row = (lockedUntil: ReturnType<typeof sql>) => ({
      principal: `user:${organiser.id}`,
      userId: organiser.id,
      route: 'POST /api/events',
      key: randomUUID(),
      requestHash: 'x',
      status: 'in_progress' as const,
      lockedUntil,
      expiresAt: sql`now() + interval '1 day'`,
    });
    await getDb().insert(idempotencyKeys).values([row(sql`now() - interval '5 seconds'`), row(sql`now() + interval '1 minute'`)]);
    const after = sample((await scrape()).text, 'event_app_idempotency_stuck_in_progress');
    expect(after - before).toBe(1);
  });
});
