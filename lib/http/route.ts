// The one wrapper every /api route handler goes through, in named steps and in
// the order of docs/api.md ("Rules for every /api request"): origin, session,
// path params (lib/http/params.ts), body (size, JSON), key, validation, run.
// Handlers throw AppError(code); this file turns every outcome into the
// envelope. A handler answers JSON, or (off the idempotency layer) a raw body
// such as a CSV stream; errors are always the envelope, and every answer is
// counted by route.
//
//   export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events', {
//     POST: (route) => route.body(createEventSchema).idempotent().handle(async ({ user, body, db }) => …),
//   });
import type { z } from 'zod';
import { routeLabel, type ApiMethod, type Endpoint, type ParamsOf } from '@/lib/api-routes';
import { authProvider, type AuthUser } from '@/lib/auth';
import { keyForSecret } from '@/lib/auth/api-keys';
import { readCookie } from '@/lib/auth/cookies';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { getDb, type Database, type Queryable, type Tx } from '@/lib/db/pool';
import { isCheckViolation, isDatabaseUnavailable } from '@/lib/db/errors';
import { AppError, type ErrorCode, type FieldErrors } from '@/lib/errors';
import { LOCALE_COOKIE, resolveLocale, type Locale } from '@/lib/i18n/config';
import { parseIdempotencyKey, type ClaimedRecord, type Principal, type Resource } from '@/lib/idempotency';
import { describeError, logLine } from '@/lib/log';
import { observeRequest } from '@/lib/metrics/request-hooks';
import { createHash } from 'node:crypto';
import { BODY_LIMIT_BYTES, readBodyBytes, readBodyText } from './body';
import { errorResponse, toResponse, type JsonResponse } from './envelope';
import { asProblemIfAsked } from './problem';
import { guestPrincipalId } from './guest';
import { checkedParams } from './params';
import { runIdempotent, STORED_HEADER } from './idempotent';
import { assertStorableJson } from './storable-json';
import { config } from '@/lib/config';
import { isPermission, type Access } from '@/lib/teams/permissions';
import { DEVICE_TOKEN_PREFIX, deviceForToken } from '@/lib/checkin/devices';
import { callerFor, callerToken, signedInUser, type Caller } from './caller';

const MUTATIONS: ReadonlySet<ApiMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DB_RETRY_AFTER_SECONDS = 5;

type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

/** A JSON answer: the only kind the idempotency layer stores and replays. */
export type JsonResult = {
  status: number;
  /** Wrapped as `{ success: true, data }`; omit for 204. */
  data?: unknown;
  headers?: Record<string, string>;
  /** Set-Cookie values. Never stored by the idempotency layer. */
  cookies?: string[];
  /** What the request created or changed, kept on its idempotency record. */
  resource?: Resource;
  /**
   * Members added to `data` in this answer only, never stored or replayed: a
   * secret shown once (an API key's). A replay answers `data` without them.
   */
  unstored?: Record<string, unknown>;
  body?: never;
};

/** A body sent as it is (a CSV stream, text/calendar, Prometheus text); only on routes outside the idempotency layer. */
export type RawResult = {
  status: number;
  body: BodyInit;
  contentType: string;
  headers?: Record<string, string>;
  cookies?: string[];
  data?: never;
  unstored?: never;
};

export type HandlerResult = JsonResult | RawResult;

/** What a handler may answer: a raw body only where nothing is stored. */
type ResultOf<Extra> = Extra extends { idempotency: null } ? HandlerResult : JsonResult;

/** What every handler gets, whatever its steps. */
type BaseContext<Path extends string, User, Body, Query> = {
  request: Request;
  params: ParamsOf<Path>;
  locale: Locale;
  user: User;
  body: Body;
  query: Query;
  /** Who the request's idempotency record belongs to: the user, else the guest cookie, else nobody but the key. */
  principal: Principal;
  /** The API key the request was made with (`Authorization: Bearer evk_…`); null for a browser session or nobody. */
  apiKeyId: string | null;
  /** The request gives the confirmation its route may ask for (`.confirmable()`): its flag is 1. */
  confirmed: boolean;
};

/** A confirmation an operation may ask for: the query flag (`=1`) that gives it, and the error code that asks for it. */
export type Confirmation = { flag: string; askedBy: ErrorCode };

// ---- the steps, each typed by what it yields ----------------------------

/**
 * Session: who is asking, with which API key if any, and (on a route that
 * declares a permission, lib/teams/permissions.ts) in which team and as whom.
 * Set-Cookie values (a refreshed session) go to `cookies`.
 */
type Asker<User, TeamCaller> = { user: User; apiKeyId: string | null; caller: TeamCaller; principal?: Principal };
type SessionStep<User, TeamCaller> = (request: Request, cookies: string[], params: Record<string, string | string[]>) => Promise<Asker<User, TeamCaller>>;

/** A route in no team: `caller` is null. */
type NoCaller = { caller?: never };
type NoTeam = null;

/**
 * A signed-in user, in no team (their own profile and teams). A live API key
 * (docs/api.md, "Integrations") is looked up on every request (a revoked key
 * is refused at once, on every instance), one point of its rate limit taken;
 * it has no user, so on these routes it is 403 FORBIDDEN_FOR_API_KEY (a door
 * device 403 FORBIDDEN_FOR_ROLE); an unknown or revoked key or device token is
 * 401 whatever cookies come with it.
 */
async function refuseBearer(request: Request): Promise<void> {
  const principal = await bearerPrincipal(request);
  if (principal === null) return;
  // A live door device is refused as a role is: it may scan, nothing else.
  throw new AppError(principal.kind === 'device' ? 'FORBIDDEN_FOR_ROLE' : 'FORBIDDEN_FOR_API_KEY');
}

const browserSession: SessionStep<AuthUser, NoTeam> = async (request, cookies) => {
  await refuseBearer(request);
  return { user: await signedInUser(request, cookies), apiKeyId: null, caller: null };
};

/**
 * An API key or door device as the principal of a route in no team (the
 * outcome lookup scopes by it); an unknown or revoked one is 401.
 */
async function bearerPrincipal(request: Request): Promise<Principal | null> {
  const secret = callerToken(request);
  if (secret === null) return null;
  if (secret.startsWith(DEVICE_TOKEN_PREFIX)) {
    const device = await deviceForToken(getDb(), secret);
    if (!device) throw new AppError('UNAUTHENTICATED');
    return { kind: 'device', deviceId: device.deviceId };
  }
  const key = await keyForSecret(getDb(), secret);
  if (!key) throw new AppError('UNAUTHENTICATED');
  return { kind: 'api_key', apiKeyId: key.apiKeyId };
}

/** Anyone: the session is read if there is one; an API key or device is its own principal. */
const anyone: SessionStep<AuthUser | null, NoTeam> = async (request, cookies) => {
  const bearer = await bearerPrincipal(request);
  if (bearer) return { user: null, apiKeyId: bearer.kind === 'api_key' ? bearer.apiKeyId : null, caller: null, principal: bearer };
  const current = await authProvider().currentUser(request);
  if (current) cookies.push(...current.cookies);
  return { user: current?.user ?? null, apiKeyId: null, caller: null };
};

const nobody: SessionStep<null, NoTeam> = async () => ({ user: null, apiKeyId: null, caller: null });

/** A member of the route's team whose role (or key's scopes, or device) has the permission. */
function member(permission: Access & string, path: string): SessionStep<AuthUser | null, Caller> {
  if (!isPermission(permission)) throw new Error(`${permission} is not a permission`);
  return (request, cookies, params) => callerFor(request, permission, path, params, cookies);
}

function sessionFor(access: Access, path: string): SessionStep<AuthUser | null, Caller | NoTeam> {
  switch (access) {
    case 'public':
      return anyone;
    case 'none':
      return nobody;
    case 'signed-in':
    case 'session':
      return browserSession;
    default:
      return member(access, path);
  }
}

/** Body: whether the route reads one, and its validation. */
/** `limitBytes`: a route whose bodies are larger by contract (a batch of 500 scans) raises the 64 KiB limit for itself. */
/** `bytes`: the body is raw bytes (an image), not JSON (`.bytesBody()`). */
type BodyStep<Body> = { reads: boolean; limitBytes?: number; bytes?: boolean; validate: (raw: unknown) => Body };

/** A raw body as a handler gets it (`.bytesBody()`): its bytes and the media type it was sent as. */
export type BytesBody = { bytes: Buffer; contentType: string };
const noBody: BodyStep<undefined> = { reads: false, validate: () => undefined };

type QueryStep<Query> = (url: URL) => Query;
const noQuery: QueryStep<undefined> = () => undefined;

/**
 * Key and run: reads the Idempotency-Key (its 400s come here, before
 * validation) and decides, once, whether the handler runs inside the
 * idempotency layer. What it adds to the handler's context: where to write,
 * and the record written under.
 */
type KeyStep<Extra> = (request: Request) => Runner<Extra>;
type Runner<Extra> = (input: RunInput, handler: (extra: Extra) => Promise<ResultOf<Extra>>) => Promise<Response>;

type RunInput = {
  endpoint: Endpoint;
  principal: Principal;
  params: Record<string, string>;
  rawBody: unknown;
  confirmed: boolean;
  confirmation: Confirmation | null;
  locale: Locale;
  toJson: (result: JsonResult) => JsonResponse;
  respond: (result: HandlerResult) => Response;
};

type Plain = { db: Database; idempotency: null };
type Keyed = { db: Tx; idempotency: ClaimedRecord };
type MaybeKeyed = { db: Queryable; idempotency: ClaimedRecord | null };

const onThePool: Runner<Plain> = async (input, handler) => input.respond(await handler({ db: getDb(), idempotency: null }));

/** Whether the layer claims the key under a lease first (lib/idempotency: `leased`), else one transaction. */
type Execution = { leased: boolean };
const ONE_TRANSACTION: Execution = { leased: false };

/** The answer with the handler's unstored members added to its data (a success envelope only). */
function withUnstored(response: JsonResponse, unstored: Record<string, unknown> | undefined): JsonResponse {
  const body = response.body;
  if (!unstored || typeof body !== 'object' || body === null || !('data' in body)) return response;
  const data = typeof body.data === 'object' && body.data !== null ? body.data : {};
  return { ...response, body: { ...body, data: { ...data, ...unstored } } };
}

function inTheLayer(key: string, execution: Execution): Runner<Keyed> {
  return (input, handler) => {
    let unstored: Record<string, unknown> | undefined;
    return runIdempotent(
      {
        leased: execution.leased,
        principal: input.principal,
        operation: routeLabel(input.endpoint),
        method: input.endpoint.method,
        key,
        params: input.params,
        body: input.rawBody ?? null,
        confirming: input.confirmed,
        confirmationCode: input.confirmation?.askedBy ?? null,
        locale: input.locale,
      },
      async (tx, record) => {
        const result = await handler({ db: tx, idempotency: record });
        unstored = result.unstored;
        return { ...input.toJson(result), resource: result.resource };
      },
    ).then((response) =>
      // Only the answer of the execution that was stored (and so committed) gets them; a replay never.
      toResponse(response.headers[STORED_HEADER] === 'true' ? withUnstored(response, unstored) : response),
    );
  };
}

const readKey = (request: Request) => parseIdempotencyKey(request.headers.get('idempotency-key'));

const noKey: KeyStep<Plain> = () => onThePool;

const keyRequired =
  (execution: Execution): KeyStep<Keyed> =>
  (request) => {
    const key = readKey(request);
    if (key === null) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
    return inTheLayer(key, execution);
  };

const keyOptional: KeyStep<MaybeKeyed> = (request) => {
  const key = readKey(request);
  return key === null ? onThePool : inTheLayer(key, ONE_TRANSACTION);
};

// ---- the builder --------------------------------------------------------

type Steps<Path extends string, User, Body, Query, Extra, C extends Caller | NoTeam> = {
  endpoint: Endpoint<Path>;
  session: SessionStep<User, C>;
  /** What lib/teams/permissions.ts declares for the route (`signed-in` for a test route built by hand). */
  access: Access;
  /** Load the server keys on the pool before the run (`.withServerKeys()`). */
  serverKeys: boolean;
  body: BodyStep<Body>;
  query: QueryStep<Query>;
  key: KeyStep<Extra>;
  confirmation: Confirmation | null;
};

export type HandlerContext<Path extends string, User, Body, Query, Extra, C = NoTeam> = BaseContext<Path, User, Body, Query> & Extra & CallerContext<C>;

/** A team route's handler gets its team and actor; a route in no team gets neither. */
export type CallerContext<C> = C extends Caller ? Caller : NoCaller;

export class RouteBuilder<Path extends string, User extends AuthUser | null, Body, Query, Extra, C extends Caller | NoTeam = NoTeam> {
  constructor(private readonly steps: Steps<Path, User, Body, Query, Extra, C>) {}

  /** A route that declares a permission never trades it for a weaker session step: that would skip its role check. */
  private inNoTeam(access: Access): Access {
    if (isPermission(this.steps.access)) {
      throw new Error(`${routeLabel(this.steps.endpoint)} declares ${this.steps.access} (lib/teams/permissions.ts): it cannot be ${access}`);
    }
    return access;
  }

  /** The method and path this route answers. */
  get endpoint(): Endpoint<Path> {
    return this.steps.endpoint;
  }

  /** No session needed (auth endpoints, public pages): `user` is null without one. */
  public(): RouteBuilder<Path, AuthUser | null, Body, Query, Extra, NoTeam> {
    return new RouteBuilder({ ...this.steps, session: anyone, access: this.inNoTeam('public') });
  }

  /** Signed in with a browser session only: a bearer API key is 403 FORBIDDEN_FOR_API_KEY (API-key management). */
  sessionOnly(): RouteBuilder<Path, AuthUser, Body, Query, Extra, NoTeam> {
    return new RouteBuilder({ ...this.steps, session: browserSession, access: this.inNoTeam('session') });
  }

  /** The session is never read (the same answer for everyone, or a bearer secret instead): `user` is null. */
  withoutSession(): RouteBuilder<Path, null, Body, Query, Extra, NoTeam> {
    return new RouteBuilder({ ...this.steps, session: nobody, access: this.inNoTeam('none') });
  }

  /** A JSON body, validated by the operation's zod schema. */
  body<S extends z.ZodType>(schema: S, options: { limitBytes?: number } = {}): RouteBuilder<Path, User, z.output<S>, Query, Extra, C> {
    return new RouteBuilder({ ...this.steps, body: { reads: true, limitBytes: options.limitBytes, validate: (raw) => validate(schema, raw) } });
  }

  /**
   * A raw body (an image upload), at most `limitBytes` (over it 413
   * PAYLOAD_TOO_LARGE), with the media type it was sent as: the handler
   * decides what it takes. What the idempotency layer fingerprints and
   * compares is `{ contentType, size, sha256 }`, so the same key with other
   * bytes is 422 IDEMPOTENCY_KEY_REUSED naming `/sha256`.
   */
  bytesBody(options: { limitBytes: number }): RouteBuilder<Path, User, BytesBody, Query, Extra, C> {
    return new RouteBuilder({
      ...this.steps,
      body: {
        reads: true,
        limitBytes: options.limitBytes,
        bytes: true,
        validate: (raw) => {
          if (!isBytesRead(raw)) throw new Error('bytesBody: the body was not read as bytes');
          return raw.body;
        },
      },
    });
  }

  /** The query string, validated by a zod schema. */
  query<S extends z.ZodType>(schema: S): RouteBuilder<Path, User, Body, z.output<S>, Extra, C> {
    return new RouteBuilder({
      ...this.steps,
      query: (url) => {
        const raw = Object.fromEntries(url.searchParams);
        // `%00` decodes to NUL, which Postgres refuses in a text parameter: 400 naming the field, as in a body.
        assertStorableJson(raw);
        return validate(schema, raw);
      },
    });
  }

  /**
   * Runs inside the idempotency layer; no key is 400 IDEMPOTENCY_KEY_REQUIRED.
   * `leased`: the operation waits on a slow outside service, so its key is
   * claimed under a lease in a commit of its own first (docs/ssot, "Two paths").
   */
  idempotent(execution: Execution = ONE_TRANSACTION): RouteBuilder<Path, User, Body, Query, Keyed, C> {
    return new RouteBuilder({ ...this.steps, key: keyRequired(execution) });
  }

  /** Runs inside the layer when the request carries a key, on the pool otherwise. */
  idempotentIfKeyed(): RouteBuilder<Path, User, Body, Query, MaybeKeyed, C> {
    return new RouteBuilder({ ...this.steps, key: keyOptional });
  }

  /**
   * The handler signs or derives with the deployment's keys (ticket codes,
   * order links): they are loaded on the pool before the idempotency layer
   * opens its transaction, so inside it `loadedServerKeys()` has them and
   * nothing waits on a second connection under the transaction (THE RULE,
   * lib/checkin/signing-key.ts).
   */
  withServerKeys(): RouteBuilder<Path, User, Body, Query, Extra, C> {
    return new RouteBuilder({ ...this.steps, serverKeys: true });
  }

  /** The operation may ask for a confirmation: the handler throws its code to ask (the record then awaits it) and reads `confirmed`. */
  confirmable(confirmation: Confirmation): RouteBuilder<Path, User, Body, Query, Extra, C> {
    return new RouteBuilder({ ...this.steps, confirmation });
  }

  handle(handler: (ctx: HandlerContext<Path, User, Body, Query, Extra, C>) => Promise<ResultOf<Extra>>): RouteHandler {
    return serve(this.steps, handler, null);
  }

  /**
   * A step that runs after validation and before the idempotency layer opens its
   * transaction: work that waits on the outside world (a DNS lookup) without
   * holding a pooled connection or a lock. Its result reaches the handler as
   * `prepared`; what it throws is thrown by the handler, inside the layer, so
   * the record fails as if the handler had thrown, and a replay (which runs no
   * handler) still answers what was stored.
   */
  before<Prepared>(prepare: (ctx: BaseContext<Path, User, Body, Query> & CallerContext<C>) => Promise<Prepared>): PreparedRoute<Path, User, Body, Query, Extra, Prepared, C> {
    return { handle: (handler) => serve(this.steps, handler, prepare) };
  }
}

/** A route with a `before()` step: only its handler is left to give. */
export type PreparedRoute<Path extends string, User, Body, Query, Extra, Prepared, C extends Caller | NoTeam = NoTeam> = {
  handle(handler: (ctx: HandlerContext<Path, User, Body, Query, Extra, C> & { prepared: Prepared }) => Promise<ResultOf<Extra>>): RouteHandler;
};

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A route's builder: signed in, no body, no query, no key until a step says
 * otherwise. Route files get theirs from `methods()` (lib/http/methods.ts),
 * which checks the path and method against lib/api-routes.ts; tests build
 * their own test routes here.
 */
export function route<Path extends string>(method: ApiMethod, path: Path): RouteBuilder<Path, AuthUser, undefined, undefined, Plain, NoTeam> {
  return new RouteBuilder({ endpoint: { method, path }, session: browserSession, access: 'signed-in', serverKeys: false, body: noBody, query: noQuery, key: noKey, confirmation: null });
}

/** The builder of a route whose access lib/teams/permissions.ts declares: its session step follows the declaration. */
export type BuilderFor<Path extends string, A extends Access> = A extends 'public'
  ? RouteBuilder<Path, AuthUser | null, undefined, undefined, Plain, NoTeam>
  : A extends 'none'
    ? RouteBuilder<Path, null, undefined, undefined, Plain, NoTeam>
    : A extends 'signed-in' | 'session'
      ? RouteBuilder<Path, AuthUser, undefined, undefined, Plain, NoTeam>
      : RouteBuilder<Path, AuthUser | null, undefined, undefined, Plain, Caller>;

/** `route()` for a declared access (`methods()`, lib/http/methods.ts). */
export function declaredRoute<Path extends string, A extends Access>(method: ApiMethod, path: Path, access: A): BuilderFor<Path, A> {
  const steps = { endpoint: { method, path }, session: sessionFor(access, path), access, serverKeys: false, body: noBody, query: noQuery, key: noKey, confirmation: null };
  // The conditional type follows `access`, which the compiler cannot narrow a value's type by.
  return new RouteBuilder(steps) as unknown as BuilderFor<Path, A>;
}

function serve<Path extends string, User extends AuthUser | null, Body, Query, Extra, C extends Caller | NoTeam, Prepared = undefined>(
  steps: Steps<Path, User, Body, Query, Extra, C>,
  handler: (ctx: HandlerContext<Path, User, Body, Query, Extra, C> & { prepared: Prepared }) => Promise<ResultOf<Extra>>,
  prepare: ((ctx: BaseContext<Path, User, Body, Query> & CallerContext<C>) => Promise<Prepared>) | null,
): RouteHandler {
  const { method } = steps.endpoint;
  return async (request, context) => {
    const started = performance.now();
    const locale = requestLocale(request);
    const cookies: string[] = [];
    // A bearer request is a server's, not a browser's: no Origin check (a browser cannot send the
    // header cross-site without a CORS preflight, which the API never grants) and no cookies set.
    const bearer = callerToken(request) !== null;
    let response: Response;
    try {
      response = await handleRequest();
    } catch (error) {
      response = toResponse(failure(error, steps.endpoint, locale));
    }
    if (!bearer) for (const cookie of cookies) response.headers.append('Set-Cookie', cookie);
    response = await asProblemIfAsked(request, response);
    observeRequest(steps.endpoint, response.status, performance.now() - started);
    return response;

    async function handleRequest(): Promise<Response> {
      if (MUTATIONS.has(method) && !bearer) checkOrigin(request);
      const rawParams = context?.params ? await context.params : {};
      // The session step reads the route's own param (an event's id) only to find its team; it is checked below.
      const asker = await steps.session(request, cookies, rawParams);
      const { user, apiKeyId } = asker;
      // Next names the params by the folder, which lib/api-routes.test.ts holds to the route's path; each
      // is checked here, before any route reads it or the idempotency record stores it (lib/http/params.ts).
      const params = checkedParams(rawParams) as ParamsOf<Path>;
      const limit = steps.body.limitBytes ?? BODY_LIMIT_BYTES;
      const read = steps.body.bytes ? await readBytesBody(request, limit) : null;
      // A raw body is fingerprinted by what it is, never stored: its type, size and hash.
      const rawBody = read ? read.fingerprint : steps.body.reads ? await readJsonBody(request, limit) : undefined;
      const run = steps.key(request);
      if (steps.body.reads) assertStorableJson(rawBody);
      const body = steps.body.validate(read ?? rawBody);
      const url = new URL(request.url);
      const query = steps.query(url);
      const confirmed = steps.confirmation !== null && url.searchParams.get(steps.confirmation.flag) === '1';
      if (steps.serverKeys) await loadServerKeys();
      const teamCaller: Caller | null = asker.caller;
      const principal = asker.principal ?? principalOf(user, teamCaller, request);
      // `caller` is a Caller exactly when C is (the session step built for the route's access gives it).
      const callerPart = (teamCaller ? { team: teamCaller.team, actor: teamCaller.actor } : {}) as CallerContext<C>;
      const base = { request, params, locale, user, body, query, principal, confirmed, apiKeyId, ...callerPart };
      const toJson = (result: JsonResult): JsonResponse => {
        if (result.cookies) cookies.push(...result.cookies);
        return {
          status: result.status,
          body: result.status === 204 ? null : { success: true, data: result.data ?? null },
          headers: result.headers ?? {},
        };
      };
      const respond = (result: HandlerResult): Response =>
        result.body === undefined ? toResponse(withUnstored(toJson(result), result.unstored)) : rawResponse(result, cookies);
      // Before the layer's transaction opens; settled, so that only a handler that runs rethrows its failure.
      const prepared: Settled<Prepared> | null = prepare
        ? await prepare(base).then(
            (value): Settled<Prepared> => ({ ok: true, value }),
            (error: unknown): Settled<Prepared> => ({ ok: false, error }),
          )
        : null;
      return run(
        { endpoint: steps.endpoint, principal, params, rawBody, confirmed, confirmation: steps.confirmation, locale, toJson, respond },
        async (extra) => {
          if (prepared && !prepared.ok) throw prepared.error;
          return handler({ ...base, ...extra, prepared: prepared?.value as Prepared });
        },
      );
    }
  };
}

function rawResponse(result: RawResult, cookies: string[]): Response {
  if (result.cookies) cookies.push(...result.cookies);
  return new Response(result.body, {
    status: result.status,
    headers: { ...result.headers, 'Content-Type': result.contentType, 'Cache-Control': 'no-store' },
  });
}

// ---- step details -------------------------------------------------------

export function requestLocale(request: Request): Locale {
  return resolveLocale(readCookie(request, LOCALE_COOKIE), request.headers.get('accept-language'));
}

/** The idempotency scope's principal: the user, the API key or the door device (docs/api.md, "Teams"), else the guest cookie. */
function principalOf(user: AuthUser | null, caller: Caller | null, request: Request): Principal {
  if (caller?.actor.type === 'api_key') return { kind: 'api_key', apiKeyId: caller.actor.id };
  if (caller?.actor.type === 'device') return { kind: 'device', deviceId: caller.actor.id };
  if (user) return { kind: 'user', userId: user.id };
  const guestId = guestPrincipalId(request);
  return guestId ? { kind: 'guest', guestId } : { kind: 'anonymous' };
}

function checkOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  if (origin === null) return; // curl and servers send none (docs/api.md, rule 1)
  const allowed = new Set<string>();
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (host) {
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
    allowed.add(`${proto}://${host}`);
  }
  allowed.add(new URL(request.url).origin);
  const configured = config().APP_ORIGIN;
  if (configured) allowed.add(configured);
  if (!allowed.has(origin)) throw new AppError('FORBIDDEN_ORIGIN');
}

async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (text === null) throw new AppError('PAYLOAD_TOO_LARGE');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
}

type BytesRead = { kind: 'bytes'; body: BytesBody; fingerprint: { contentType: string; size: number; sha256: string } };

function isBytesRead(value: unknown): value is BytesRead {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'bytes';
}

async function readBytesBody(request: Request, limit: number): Promise<BytesRead> {
  const bytes = await readBodyBytes(request, limit);
  if (bytes === null) throw new AppError('PAYLOAD_TOO_LARGE');
  // `image/png; charset=…` is still image/png; the type names no more than that.
  const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { kind: 'bytes', body: { bytes, contentType }, fingerprint: { contentType, size: bytes.byteLength, sha256 } };
}

/** zod issues as fieldErrors keyed by the body's field names (`location.address`). */
function toFieldErrors(error: z.ZodError): { fieldErrors: FieldErrors; formErrors: string[] } {
  // No prototype: a body field named `toString` or `__proto__` is just a name here.
  const fieldErrors: FieldErrors = Object.create(null);
  const formErrors: string[] = [];
  const add = (field: string, message: string) => {
    const list = fieldErrors[field] ?? [];
    if (!list.includes(message)) list.push(message);
    fieldErrors[field] = list;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const prefix = issue.path.join('.');
      for (const key of issue.keys) add(prefix ? `${prefix}.${key}` : key, 'invalid');
    } else if (issue.path.length === 0) {
      formErrors.push(issue.message);
    } else {
      add(issue.path.join('.'), issue.message);
    }
  }
  return { fieldErrors, formErrors };
}

function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { fieldErrors, formErrors } = toFieldErrors(result.error);
  throw new AppError('VALIDATION_FAILED', {
    fieldErrors,
    ...(formErrors.length ? { details: { formErrors } } : {}),
  });
}

/** Any thrown error as its answer: AppError's own, 503 for an unreachable database, else a logged 500 (also for handlers outside route(): lib/http/webhook.ts). */
export function failure(error: unknown, endpoint: Endpoint, locale: Locale): JsonResponse {
  if (error instanceof AppError) return errorResponse(error, locale);
  if (isCheckViolation(error)) {
    // The database refused a change that would break one of its rules (a trigger, a CHECK): the state
    // changed under the request, or the request asks what no state allows. Said as a conflict, never a 500.
    logLine('warn', 'request.refused_by_database', { route: routeLabel(endpoint), cause: describeError(error).message });
    return errorResponse(new AppError('STATE_CONFLICT'), locale);
  }
  if (isDatabaseUnavailable(error)) {
    logLine('warn', 'db.unavailable', { route: routeLabel(endpoint), cause: describeError(error).message });
    return errorResponse(new AppError('SERVICE_UNAVAILABLE', { retryAfterSeconds: DB_RETRY_AFTER_SECONDS }), locale);
  }
  logLine('error', 'request.failed', { route: routeLabel(endpoint), cause: describeError(error) });
  return errorResponse(new AppError('INTERNAL_ERROR'), locale);
}
