// Who is asking, and in which team (docs/api.md, "Teams, roles and door
// devices"): the session step of every route that declares a permission
// (lib/teams/permissions.ts). It answers before the body is read:
//   401 no one, or an unknown or revoked key or device;
//   404 a team the caller is not in (an event of another team, a device's other event);
//   403 FORBIDDEN_FOR_API_KEY / INSUFFICIENT_SCOPE / FORBIDDEN_FOR_ROLE.
// Nothing is cached: membership, keys and devices are read on every request.
import type { AuthUser } from '@/lib/auth';
import { authProvider } from '@/lib/auth';
import { API_KEY_SECRET_PREFIX, keyForSecret } from '@/lib/auth/api-keys';
import { readCookie } from '@/lib/auth/cookies';
import type { Actor } from '@/lib/audit';
import { DEVICE_TOKEN_PREFIX, deviceForToken } from '@/lib/checkin/devices';
import { getDb } from '@/lib/db/pool';
import type { TeamRole } from '@/lib/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { eventTeam, roleIn } from '@/lib/teams/membership';
import { PERMISSIONS, type Permission } from '@/lib/teams/permissions';
import { TEAM_COOKIE, TEAM_HEADER } from '@/lib/teams/schemas';
import { bearerToken } from './bearer';


/**
 * The team a request acts in; `role` is the member's (null for an API key or a
 * door device, which act as the team within their scopes). `require` throws
 * what the route's own check would for another permission: for the rare write
 * that needs two (a paid ticket's cancel is also a refund), from the same table.
 * `may` answers the same question without throwing: for a part of an answer
 * that only some callers see (an event's sales need `tickets:read`).
 */
export type TeamAccess = { id: string; role: TeamRole | null; require: (permission: Permission) => void; may: (permission: Permission) => boolean };

function teamAccess(team: { id: string; role: TeamRole | null }, require: (permission: Permission) => void): TeamAccess {
  const may = (permission: Permission) => {
    try {
      require(permission);
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  };
  return { ...team, require, may };
}
export type Caller = { team: TeamAccess; actor: Actor };

type RawParams = Record<string, string | string[]>;

/** Which team a route acts in: an event's (`/api/events/[id]/…`), the path's (`/api/teams/[tid]/…`), or the current one. */
type TeamOfRoute = { kind: 'event'; eventId: string } | { kind: 'team'; teamId: string } | { kind: 'current' };

function teamOfRoute(path: string, params: RawParams): TeamOfRoute {
  const param = (name: string) => {
    const value = params[name];
    return typeof value === 'string' ? value : '';
  };
  if (path.startsWith('/api/events/[id]')) return { kind: 'event', eventId: param('id') };
  if (path.startsWith('/api/teams/[tid]')) return { kind: 'team', teamId: param('tid') };
  return { kind: 'current' };
}

/** A bearer secret an API key or a door device presents; other bearer secrets (CRON_SECRET, METRICS_TOKEN) are their routes' business. */
export function callerToken(request: Request): string | null {
  const secret = bearerToken(request);
  return secret && (secret.startsWith(API_KEY_SECRET_PREFIX) || secret.startsWith(DEVICE_TOKEN_PREFIX)) ? secret : null;
}

export type Asked = { user: AuthUser | null; apiKeyId: string | null; caller: Caller };

/** The session step of a route that needs `permission`. Set-Cookie values (a refreshed session) go to `cookies`. */
export async function callerFor(request: Request, permission: Permission, path: string, params: RawParams, cookies: string[]): Promise<Asked> {
  const rule = PERMISSIONS[permission];
  const where = teamOfRoute(path, params);
  const secret = callerToken(request);
  const db = getDb();

  if (secret?.startsWith(API_KEY_SECRET_PREFIX)) {
    const key = await keyForSecret(db, secret);
    if (!key) throw new AppError('UNAUTHENTICATED');
    const require = (permission: Permission) => {
      const scope = PERMISSIONS[permission].scope;
      if (scope === null) throw new AppError('FORBIDDEN_FOR_API_KEY');
      if (!key.scopes.includes(scope)) throw new AppError('INSUFFICIENT_SCOPE', { details: { required: scope } });
    };
    // A route for sessions only refuses the key before its team is looked for; a scope is checked after (404 first).
    if (rule.scope === null) throw new AppError('FORBIDDEN_FOR_API_KEY');
    await sameTeam(where, key.teamId);
    require(permission);
    return { user: null, apiKeyId: key.apiKeyId, caller: { team: teamAccess({ id: key.teamId, role: null }, require), actor: { type: 'api_key', id: key.apiKeyId, name: key.name } } };
  }

  if (secret?.startsWith(DEVICE_TOKEN_PREFIX)) {
    const device = await deviceForToken(db, secret);
    if (!device) throw new AppError('UNAUTHENTICATED');
    // A device knows one event: any other is not there for it.
    if (where.kind !== 'event' || where.eventId !== device.eventId) throw new AppError(where.kind === 'event' ? 'NOT_FOUND' : 'FORBIDDEN_FOR_ROLE');
    const require = (permission: Permission) => {
      if (!PERMISSIONS[permission].device) throw new AppError('FORBIDDEN_FOR_ROLE');
    };
    require(permission);
    const actor: Actor = { type: 'device', id: device.deviceId, name: device.name, eventId: device.eventId };
    return { user: null, apiKeyId: null, caller: { team: teamAccess({ id: device.teamId, role: null }, require), actor } };
  }

  const user = await signedInUser(request, cookies);
  const member = await memberTeam(request, where, user.id);
  const require = (permission: Permission) => {
    if (!PERMISSIONS[permission].roles.includes(member.role)) throw new AppError('FORBIDDEN_FOR_ROLE', { details: { role: member.role } });
  };
  require(permission);
  return { user, apiKeyId: null, caller: { team: teamAccess(member, require), actor: { type: 'user', id: user.id, name: user.name ?? user.email } } };
}

/** The session's user (a refreshed session's Set-Cookie values go to `cookies`); 401 without one. The one session read of every signed-in route. */
export async function signedInUser(request: Request, cookies: string[]): Promise<AuthUser> {
  const current = await authProvider().currentUser(request);
  if (!current) throw new AppError('UNAUTHENTICATED');
  cookies.push(...current.cookies);
  return current.user;
}

/** An API key acts in its own team only: an event or a team path of another is 404. */
async function sameTeam(where: TeamOfRoute, teamId: string): Promise<void> {
  if (where.kind === 'event') {
    // No such event (any more): the handler answers, or the idempotency layer replays what it stored (a retried delete).
    const found = await eventTeam(getDb(), where.eventId, null);
    if (found && found.teamId !== teamId) throw new AppError('NOT_FOUND');
  } else if (where.kind === 'team' && where.teamId !== teamId) {
    throw new AppError('NOT_FOUND');
  }
}

async function memberTeam(request: Request, where: TeamOfRoute, userId: string): Promise<{ id: string; role: TeamRole }> {
  const db = getDb();
  if (where.kind === 'event') {
    const found = await eventTeam(db, where.eventId, userId);
    if (found && !found.role) throw new AppError('NOT_FOUND');
    if (found?.role) return { id: found.teamId, role: found.role };
    // No such event (any more, or its id is not one): no team to be a stranger to. The request acts in the current
    // team, where the handler finds no event (404) or the idempotency layer replays the user's own stored answer
    // (a retried delete answers 204, not 404: docs/ssot, "Idempotency Standard").
  }
  if (where.kind === 'team') {
    const role = await roleIn(db, where.teamId, userId);
    if (!role) throw new AppError('NOT_FOUND');
    return { id: where.teamId, role };
  }
  // The current team: the header names it (404 when not a member), else the switcher's cookie (a stale one, of a team left
  // since, falls back), else the personal team, whose id is the user's.
  const named = request.headers.get(TEAM_HEADER);
  if (named !== null) {
    const role = await roleIn(db, named, userId);
    if (!role) throw new AppError('NOT_FOUND');
    return { id: named, role };
  }
  const chosen = readCookie(request, TEAM_COOKIE);
  if (chosen && isUuid(chosen) && chosen !== userId) {
    const role = await roleIn(db, chosen, userId);
    if (role) return { id: chosen, role };
  }
  const role = await roleIn(db, userId, userId);
  if (!role) throw new AppError('NOT_FOUND');
  return { id: userId, role };
}
