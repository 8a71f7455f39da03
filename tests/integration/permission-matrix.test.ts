// The permission matrix (docs/api.md, "Teams, roles and door devices"):
// every route and method of lib/api-routes.ts, called by every kind of caller,
// answers what lib/teams/permissions.ts declares for it. Nothing here lists
// routes or expectations by hand: the routes come from the route table, the
// expected status from the declared access and its rule. A route without a
// declared access fails (accessOf throws), and so does one whose handler
// answers otherwise.
//
// Callers: a member of each role of a team (not anyone's personal team, so a
// handler that took the user's id for the team's would show), a stranger
// (in no team of the event), an API key lacking the route's scope, and a door
// device of another event of the same team. What a route then does for an
// allowed caller (400 for the empty body, 404 for an unknown id, …) is not
// this test's business; that it was not refused for who asked is.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { allApiRoutes, type ApiMethod, type ApiPath } from '@/lib/api-routes';
import { createApiKey } from '@/lib/auth/api-keys';
import { createDoorDevice } from '@/lib/checkin/devices';
import { getDb } from '@/lib/db/pool';
import { events, teamMembers } from '@/lib/db/schema';
import { API_KEY_SCOPES, type TeamRole } from '@/lib/enums';
import { accessOf, isPermission, PERMISSIONS, type Access } from '@/lib/teams/permissions';
import { createTeam } from '@/lib/teams/teams';
import { buildRequest, type CallOptions, createOrganiser, type Organiser } from './support';

type Handler = (request: Request, context?: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Caller =
  | { kind: 'member'; role: TeamRole; who: Organiser }
  | { kind: 'stranger'; who: Organiser }
  | { kind: 'key-without-scope' }
  | { kind: 'device-of-another-event' };

/** What the declared table says a caller gets: refused with this status and code, or let through. */
type Expected = { refused: true; status: number; code: string } | { refused: false };

/** A route's answer: its status and, for an envelope, its error code (a CSV or other raw body has none). */
async function call(handler: Handler, method: string, path: string, options: CallOptions) {
  const response = await handler(buildRequest(method, path, options), { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as Record<string, unknown>) : null;
  return { status: response.status, json };
}

let teamId: string;
let eventId: string;
const members = new Map<TeamRole, Organiser>();
let stranger: Organiser;
let otherDeviceToken: string;

/** Where the route acts: an event's team, the path's team, or the caller's current team (docs/api.md). */
function teamOfRoute(path: string): 'event' | 'team' | 'current' {
  if (path.startsWith('/api/events/[id]')) return 'event';
  if (path.startsWith('/api/teams/[tid]')) return 'team';
  return 'current';
}

function expected(access: Access, path: string, caller: Caller): Expected {
  const refuse = (status: number, code: string): Expected => ({ refused: true, status, code });
  if (access === 'public' || access === 'none') return { refused: false };
  if (access === 'signed-in' || access === 'session') {
    if (caller.kind === 'key-without-scope') return refuse(403, 'FORBIDDEN_FOR_API_KEY');
    // A device token is no user: a route in no team is not for it.
    if (caller.kind === 'device-of-another-event') return refuse(403, 'FORBIDDEN_FOR_ROLE');
    return { refused: false };
  }
  const rule = PERMISSIONS[access];
  const where = teamOfRoute(path);
  switch (caller.kind) {
    case 'member':
      return rule.roles.includes(caller.role) ? { refused: false } : refuse(403, 'FORBIDDEN_FOR_ROLE');
    case 'stranger':
      // In their own (personal) team a stranger is its owner: only another team's resources are not there for them.
      if (where === 'current') return rule.roles.includes('owner') ? { refused: false } : refuse(403, 'FORBIDDEN_FOR_ROLE');
      return refuse(404, 'NOT_FOUND');
    case 'key-without-scope':
      return rule.scope === null ? refuse(403, 'FORBIDDEN_FOR_API_KEY') : refuse(403, 'INSUFFICIENT_SCOPE');
    case 'device-of-another-event':
      return where === 'event' ? refuse(404, 'NOT_FOUND') : refuse(403, 'FORBIDDEN_FOR_ROLE');
  }
}

// Every route file, found by the bundler (a path built at run time cannot be imported here).
const ROUTE_FILES = import.meta.glob<Record<string, Handler>>('../../app/api/**/route.ts');

async function handlerOf(path: ApiPath, method: ApiMethod): Promise<Handler> {
  const load = ROUTE_FILES[`../../app${path}/route.ts`];
  if (!load) throw new Error(`${path}: no route file`);
  const module = await load();
  const handler = module[method];
  if (!handler) throw new Error(`${method} ${path}: no handler exported`);
  return handler;
}

/** A value for every path parameter: the team's event and the team; unknown ids elsewhere (the access check comes first). */
function paramsOf(path: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [, name] of path.matchAll(/\[([^\].]+)\]/g)) {
    if (!name) continue;
    params[name] = name === 'id' && path.startsWith('/api/events/') ? eventId : name === 'tid' ? teamId : name === 'slug' ? 'no-such-event' : name === 'token' ? 'x'.repeat(43) : randomUUID();
  }
  return params;
}

async function keyLacking(scope: string | null): Promise<string> {
  // A key with every scope but the route's (a route for sessions only needs none: any key is refused).
  const scopes = API_KEY_SCOPES.filter((s) => s !== scope);
  const { secret } = await getDb().transaction((tx) =>
    createApiKey(tx, { teamId, createdBy: null, name: `without ${scope ?? 'session'}`, scopes, actor: { type: 'user', id: teamId, name: 'matrix' } }),
  );
  return secret;
}

beforeAll(async () => {
  const owner = await createOrganiser('Matrix Owner');
  const team = await getDb().transaction((tx) => createTeam(tx, { userId: owner.id, name: 'Matrix team' }));
  teamId = team.id;
  members.set('owner', owner);
  for (const role of ['manager', 'finance', 'door'] as const) {
    const member = await createOrganiser(`Matrix ${role}`);
    await getDb().insert(teamMembers).values({ teamId, userId: member.id, role });
    members.set(role, member);
  }
  stranger = await createOrganiser('Matrix Stranger');
  const base = {
    teamId,
    title: 'Matrix event',
    startsAt: new Date(Date.now() + 7 * 86_400_000),
    endsAt: new Date(Date.now() + 7 * 86_400_000 + 3_600_000),
    timezone: 'UTC',
    locationType: 'online' as const,
    locationUrl: 'https://example.com/room',
    maxParticipants: 10,
  };
  const [event, other] = await getDb().insert(events).values([base, { ...base, title: 'Matrix other event' }]).returning({ id: events.id });
  if (!event || !other) throw new Error('events were not inserted');
  eventId = event.id;
  const device = await getDb().transaction((tx) =>
    createDoorDevice(tx, { teamId, eventId: other.id, name: 'Other door', createdBy: owner.id, actor: { type: 'user', id: owner.id, name: 'Matrix Owner' } }),
  );
  otherDeviceToken = device.token;
});

const CALLERS = ['owner', 'manager', 'finance', 'door', 'stranger', 'key-without-scope', 'device-of-another-event'] as const;

describe('the permission matrix, from the route table and lib/teams/permissions.ts', () => {
  it('declares an access for every route and method of lib/api-routes.ts', () => {
    for (const { path, method } of allApiRoutes()) expect(() => accessOf(path, method as never), `${method} ${path}`).not.toThrow();
  });

  it('answers every route × caller as declared', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const { path, method } of allApiRoutes()) {
      const access = accessOf(path, method as never);
      if (access === 'public' || access === 'none') continue;
      const handler = await handlerOf(path, method);
      const scope = isPermission(access) ? PERMISSIONS[access].scope : null;
      for (const name of CALLERS) {
        const caller: Caller =
          name === 'stranger'
            ? { kind: 'stranger', who: stranger }
            : name === 'key-without-scope' || name === 'device-of-another-event'
              ? { kind: name }
              : { kind: 'member', role: name, who: members.get(name) as Organiser };
        const headers: Record<string, string> = {};
        let cookie: string | undefined;
        if (caller.kind === 'member' || caller.kind === 'stranger') cookie = caller.who.cookie;
        if (caller.kind === 'key-without-scope') headers.authorization = `Bearer ${await keyLacking(scope)}`;
        if (caller.kind === 'device-of-another-event') headers.authorization = `Bearer ${otherDeviceToken}`;
        // Members act in the matrix's team wherever the route takes the current one.
        if (caller.kind === 'member') headers['x-team-id'] = teamId;
        const url = path.replace(/\[([^\]]+)\]/g, (_m, n: string) => paramsOf(path)[n] ?? n);
        const res = await call(handler, method, url, {
          cookie,
          headers,
          params: paramsOf(path),
          key: method === 'GET' ? undefined : randomUUID(),
          body: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        const code = (res.json as { error?: { code?: string } } | null)?.error?.code ?? null;
        const want = expected(access, path, caller);
        checked += 1;
        if (want.refused) {
          if (res.status !== want.status || code !== want.code) mismatches.push(`${method} ${path} as ${name}: want ${want.status} ${want.code}, got ${res.status} ${code}`);
        } else if (res.status === 401 || code === 'FORBIDDEN_FOR_ROLE' || code === 'INSUFFICIENT_SCOPE' || code === 'FORBIDDEN_FOR_API_KEY') {
          mismatches.push(`${method} ${path} as ${name}: want through, got ${res.status} ${code}`);
        } else if (res.status === 404 && teamOfRoute(path) !== 'current' && (name === 'owner' || name === 'manager' || name === 'finance' || name === 'door')) {
          // A member let through may still find no such order or code; but never the event or team itself missing.
          const known = path.split('/').filter((s) => s.startsWith('[')).length;
          if (known === 1) mismatches.push(`${method} ${path} as ${name}: a member got 404 for their own team's ${teamOfRoute(path)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  }, 120_000);

  it('refuses the escalations by name: a finance member refunding is allowed but a door device reading orders, a key minting keys and a door member editing are not', async () => {
    const orders = await handlerOf('/api/events/[id]/orders', 'GET');
    const params = { id: eventId };
    // A door device of another event: not there for it.
    const byDevice = await call(orders, 'GET', `/api/events/${eventId}/orders`, { params, headers: { authorization: `Bearer ${otherDeviceToken}` } });
    expect(byDevice.status).toBe(404);
    const keys = await handlerOf('/api/api-keys', 'POST');
    const byKey = await call(keys, 'POST', '/api/api-keys', { key: randomUUID(), body: { name: 'minted' }, headers: { authorization: `Bearer ${await keyLacking(null)}` } });
    expect(byKey.status).toBe(403);
    expect(byKey.json).toMatchObject({ error: { code: 'FORBIDDEN_FOR_API_KEY' } });
    const edit = await handlerOf('/api/events/[id]', 'PATCH');
    const byDoor = await call(edit, 'PATCH', `/api/events/${eventId}`, { params, key: randomUUID(), body: { title: 'Door was here' }, cookie: members.get('door')?.cookie, headers: { 'if-match': '"1"' } });
    expect(byDoor.status).toBe(403);
    expect(byDoor.json).toMatchObject({ error: { code: 'FORBIDDEN_FOR_ROLE' } });
  });
});
