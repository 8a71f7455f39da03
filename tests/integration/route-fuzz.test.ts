// Hostile input over EVERY route of lib/api-routes.ts (item 7c), in-process
// against the real route handlers and a real database: each method of each
// route, signed in and anonymous, with every path parameter in turn set to NUL,
// lone surrogates, a 10 kB segment, `..`, `%2e%2e`; and every date field and
// cursor a route takes set to years 0, +010000 and 275760. Whatever the
// answer, it is never a 500 and always the envelope. A route added to the table
// is fuzzed without touching this file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST as createEvent } from '@/app/api/events/route';
import { allApiRoutes, routeLabel, type ApiMethod, type ApiPath } from '@/lib/api-routes';
import { closeDb } from '@/lib/db/pool';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser, type Organiser } from './support';

afterAll(closeDb);

type Handler = Parameters<typeof call>[0];
type RouteModule = Partial<Record<ApiMethod, Handler>>;

const HOSTILE_SEGMENTS: Record<string, string> = {
  nul: '\u0000',
  'nul inside': `ab\u0000cd`,
  'lone high surrogate': '\ud800',
  'lone low surrogate': 'x\udfff',
  'surrogate bytes, undecoded': '%ED%A0%80',
  '10 kB': 'a'.repeat(10_000),
  'dot dot': '..',
  'encoded dot dot': '%2e%2e',
  'NUL, percent-encoded': '%00',
};

const HOSTILE_DATES = ['0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z'];

/** What the route's folder would hand it for a param: every name in the table, a value of its real shape. */
function goodParams(path: ApiPath, event: { id: string; slug: string }): Record<string, string> {
  const values: Record<string, string> = {
    id: event.id,
    rid: randomUUID(),
    oid: randomUUID(),
    tid: randomUUID(),
    did: randomUUID(),
    slug: event.slug,
    token: 'A'.repeat(43),
    key: randomUUID(),
  };
  const names = [...path.matchAll(/\[(?!\.\.\.)([^\]]+)\]/g)].map((m) => m[1] ?? '');
  return Object.fromEntries(names.map((name) => [name, values[name] ?? 'x']));
}

/** The date fields each route's body takes, with a body around them that is otherwise valid. */
function datedBodies(label: string, at: string): unknown[] {
  switch (label) {
    case 'POST /api/events':
      return [validEventBody({ startsAt: at, status: 'draft' }), validEventBody({ endsAt: at, status: 'draft' })];
    case 'PATCH /api/events/[id]':
      return [{ startsAt: at }, { endsAt: at }];
    case 'POST /api/events/[id]/ticket-types':
      return [{ name: 'Standard', price: { amount: 1000, currency: 'eur' }, salesEndAt: at }];
    case 'PATCH /api/events/[id]/ticket-types/[tid]':
      return [{ salesEndAt: at }];
    case 'POST /api/events/[id]/check-in/scans':
      return [{ deviceId: 'door-1', scans: [{ nonce: randomUUID(), code: 'ABCDEFGH', scannedAt: at }] }];
    default:
      return [];
  }
}

/** Each route's cursor, spelled as the route writes it, around a hostile time. */
function datedCursors(label: string, at: string): string[] {
  const base64url = (text: string) => Buffer.from(text).toString('base64url');
  switch (label) {
    case 'GET /api/events':
      return [base64url(JSON.stringify({ createdAt: at, id: randomUUID() }))];
    case 'GET /api/events/[id]/orders':
      return [base64url(`${at}|${randomUUID()}`)];
    case 'GET /api/events/[id]/registrations':
      return ['999999999999999', '%00'];
    default:
      return [];
  }
}

/** Query strings every GET also gets: NUL and surrogate bytes in the usual names. */
const HOSTILE_QUERIES = ['?q=%00&status=%00&cursor=%00&limit=%00', '?q=%ED%A0%80&cursor=%ED%A0%80', '?route=POST%20/api/%00', `?q=${'x'.repeat(10_000)}`];

function isEnvelope(json: Record<string, unknown> | null): boolean {
  return json !== null && typeof json.success === 'boolean';
}

describe('every route of API_ROUTES against hostile input (item 7c)', () => {
  let organiser: Organiser;
  let event: { id: string; slug: string };
  const modules = new Map<ApiPath, RouteModule>();

  beforeAll(async () => {
    organiser = await createOrganiser();
    const created = await call(createEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody({ status: 'draft' }) });
    event = (created.json as { data: { event: { id: string; slug: string } } }).data.event;
    for (const { path } of allApiRoutes()) {
      if (!modules.has(path)) modules.set(path, (await import(`@/app/api/${path.slice('/api/'.length)}/route`)) as RouteModule);
    }
  });

  async function send(method: ApiMethod, path: ApiPath, params: Record<string, string | string[]>, options: { cookie?: string; body?: unknown; query?: string }) {
    const handler = modules.get(path)?.[method];
    if (!handler) throw new Error(`no ${method} handler for ${path}`);
    const url = `${path.replace(/\[[^\]]+\]/g, 'x')}${options.query ?? ''}`;
    return call(handler, method, url, {
      cookie: options.cookie,
      key: randomUUID(),
      body: options.body ?? (method === 'GET' || method === 'DELETE' ? undefined : {}),
      headers: method === 'PATCH' ? { 'if-match': '"1"' } : {},
      params: params as Record<string, string>,
    });
  }

  let failures: string[] = [];
  beforeEach(() => {
    failures = [];
  });
  function judge(what: string, res: { status: number; json: Record<string, unknown> | null; text: string }) {
    if (res.status >= 500 || !isEnvelope(res.json)) failures.push(`${what}: ${res.status} ${res.text.slice(0, 160)}`);
  }

  it('hostile path parameters: never a 500, always the envelope (a 404 where the param names nothing)', async () => {
    for (const { method, path } of allApiRoutes()) {
      const good = goodParams(path, event);
      const names = path.includes('[...') ? ['path'] : Object.keys(good);
      for (const name of names) {
        for (const [kind, value] of Object.entries(HOSTILE_SEGMENTS)) {
          const params = name === 'path' ? { path: ['x', value] } : { ...good, [name]: value };
          for (const cookie of [organiser.cookie, undefined]) {
            const what = `${routeLabel({ method, path })} ${name}=${kind} ${cookie ? 'signed in' : 'anonymous'}`;
            const res = await send(method, path, params, { cookie });
            judge(what, res);
            // Signed in, a param no id can have names nothing (the key param is 400 INVALID_IDEMPOTENCY_KEY by contract).
            if (cookie && res.status !== 401 && res.status !== 405) {
              const expected = name === 'key' ? 400 : 404;
              if (res.status !== expected) failures.push(`${what}: ${res.status}, expected ${expected}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('years 0, +010000 and 275760 in every date field and cursor: never a 500, always the envelope', async () => {
    let tried = 0;
    for (const { method, path } of allApiRoutes()) {
      const label = routeLabel({ method, path });
      const params = goodParams(path, event);
      for (const at of HOSTILE_DATES) {
        for (const body of datedBodies(label, at)) {
          tried += 1;
          const res = await send(method, path, params, { cookie: organiser.cookie, body });
          judge(`${label} body ${JSON.stringify(body).slice(0, 80)}`, res);
          if (res.status !== 400 && res.status !== 404) failures.push(`${label} date ${at}: ${res.status}, expected 400`);
        }
        for (const cursor of datedCursors(label, at)) {
          tried += 1;
          const res = await send(method, path, params, { cookie: organiser.cookie, query: `?cursor=${cursor}` });
          judge(`${label} cursor ${at}`, res);
        }
      }
    }
    expect(tried).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it('NUL, surrogate bytes and 10 kB values in query strings: never a 500, always the envelope', async () => {
    for (const { method, path } of allApiRoutes()) {
      const params = path.includes('[...') ? { path: ['x'] } : goodParams(path, event);
      for (const query of HOSTILE_QUERIES) {
        for (const cookie of [organiser.cookie, undefined]) {
          const res = await send(method, path, params, { cookie, query });
          // A raw body (CSV, calendar, metrics text, the OpenAPI document) is a success of its own kind.
          if (res.status < 300 && !res.headers.get('content-type')?.includes('application/json')) continue;
          if (res.status < 300 && path === '/api/openapi.json') continue;
          judge(`${routeLabel({ method, path })} ${query.slice(0, 40)} ${cookie ? 'signed in' : 'anonymous'}`, res);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
