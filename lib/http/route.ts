// The one wrapper every /api route handler goes through, in named steps and in
// the order of docs/api.md ("Rules for every /api request"): origin, session,
// body (size, JSON), key, validation, run. Handlers throw AppError(code); this
// file turns every outcome into the envelope.
//
//   export const { GET, POST, PUT, PATCH, DELETE } = methods({
//     POST: route('POST /api/events').body(createEventSchema).idempotent().handle(async ({ user, body, db }) => …),
//   });
import type { z } from 'zod';
import { authProvider, type AuthUser } from '@/lib/auth';
import { readCookie } from '@/lib/auth/cookies';
import { getDb, type Database, type Queryable, type Tx } from '@/lib/db/pool';
import { isDatabaseUnavailable } from '@/lib/db/errors';
import { AppError, type FieldErrors } from '@/lib/errors';
import { LOCALE_COOKIE, resolveLocale, type Locale } from '@/lib/i18n/config';
import { parseIdempotencyKey, type ClaimedRecord, type Principal, type Resource } from '@/lib/idempotency';
import { describeError, logLine } from '@/lib/log';
import { observeRequest } from '@/lib/metrics/request-hooks';
import { BODY_LIMIT_BYTES, readBodyText } from './body';
import { errorResponse, toResponse, type JsonResponse } from './envelope';
import { guestPrincipalId } from './guest';
import { runIdempotent } from './idempotent';
import { assertStorableJson } from './storable-json';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DB_RETRY_AFTER_SECONDS = 5;

type Params = Record<string, string>;
type RouteContext = { params: Promise<Params> };
export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

export type HandlerResult = {
  status: number;
  /** Wrapped as `{ success: true, data }`; omit for 204. */
  data?: unknown;
  headers?: Record<string, string>;
  /** Set-Cookie values. Never stored by the idempotency layer. */
  cookies?: string[];
  /** What the request created or changed, kept on its idempotency record. */
  resource?: Resource;
};

/** What every handler gets, whatever its steps. */
type BaseContext<User, Body, Query> = {
  request: Request;
  params: Params;
  locale: Locale;
  user: User;
  body: Body;
  query: Query;
  /** Who the request's idempotency record belongs to: the user, else the guest cookie, else nobody but the key. */
  principal: Principal;
  /** confirm_credit=1 on the request. */
  confirmCredit: boolean;
};

// ---- the steps, each typed by what it yields ----------------------------

/** Session: who is asking. Set-Cookie values (a refreshed session) go to `cookies`. */
type SessionStep<User> = (request: Request, cookies: string[]) => Promise<User>;

const signedIn: SessionStep<AuthUser> = async (request, cookies) => {
  const current = await authProvider().currentUser(request);
  if (!current) throw new AppError('UNAUTHENTICATED');
  cookies.push(...current.cookies);
  return current.user;
};

const anyone: SessionStep<AuthUser | null> = async (request, cookies) => {
  const current = await authProvider().currentUser(request);
  if (current) cookies.push(...current.cookies);
  return current?.user ?? null;
};

/** Body: whether the route reads one, and its validation. */
type BodyStep<Body> = { reads: boolean; validate: (raw: unknown) => Body };
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
type Runner<Extra> = (input: RunInput, handler: (extra: Extra) => Promise<HandlerResult>) => Promise<JsonResponse>;

type RunInput = {
  template: string;
  method: string;
  principal: Principal;
  params: Params;
  rawBody: unknown;
  confirmCredit: boolean;
  locale: Locale;
  toJson: (result: HandlerResult) => JsonResponse;
};

type Plain = { db: Database; idempotency: null };
type Keyed = { db: Tx; idempotency: ClaimedRecord };
type MaybeKeyed = { db: Queryable; idempotency: ClaimedRecord | null };

const onThePool: Runner<Plain> = async (input, handler) => input.toJson(await handler({ db: getDb(), idempotency: null }));

/** Whether the layer claims the key under a lease first (lib/idempotency: `leased`), else one transaction. */
type Execution = { leased: boolean };
const ONE_TRANSACTION: Execution = { leased: false };

function inTheLayer(key: string, execution: Execution): Runner<Keyed> {
  return (input, handler) =>
    runIdempotent(
      {
        leased: execution.leased,
        principal: input.principal,
        operation: input.template,
        method: input.method,
        key,
        params: input.params,
        body: input.rawBody ?? null,
        confirming: input.confirmCredit,
        locale: input.locale,
      },
      async (tx, record) => {
        const result = await handler({ db: tx, idempotency: record });
        return { ...input.toJson(result), resource: result.resource };
      },
    );
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

type Steps<User, Body, Query, Extra> = {
  template: string;
  session: SessionStep<User>;
  body: BodyStep<Body>;
  query: QueryStep<Query>;
  key: KeyStep<Extra>;
};

export type HandlerContext<User, Body, Query, Extra> = BaseContext<User, Body, Query> & Extra;

class RouteBuilder<User extends AuthUser | null, Body, Query, Extra> {
  constructor(private readonly steps: Steps<User, Body, Query, Extra>) {}

  /** No session needed (auth endpoints, public pages): `user` is null without one. */
  public(): RouteBuilder<AuthUser | null, Body, Query, Extra> {
    return new RouteBuilder({ ...this.steps, session: anyone });
  }

  /** A JSON body, validated by the operation's zod schema. */
  body<S extends z.ZodType>(schema: S): RouteBuilder<User, z.output<S>, Query, Extra> {
    return new RouteBuilder({ ...this.steps, body: { reads: true, validate: (raw) => validate(schema, raw) } });
  }

  /** The query string, validated by a zod schema. */
  query<S extends z.ZodType>(schema: S): RouteBuilder<User, Body, z.output<S>, Extra> {
    return new RouteBuilder({ ...this.steps, query: (url) => validate(schema, Object.fromEntries(url.searchParams)) });
  }

  /**
   * Runs inside the idempotency layer; no key is 400 IDEMPOTENCY_KEY_REQUIRED.
   * `leased`: the operation waits on a slow outside service, so its key is
   * claimed under a lease in a commit of its own first (docs/ssot, "Two paths").
   */
  idempotent(execution: Execution = ONE_TRANSACTION): RouteBuilder<User, Body, Query, Keyed> {
    return new RouteBuilder({ ...this.steps, key: keyRequired(execution) });
  }

  /** Runs inside the layer when the request carries a key, on the pool otherwise. */
  idempotentIfKeyed(): RouteBuilder<User, Body, Query, MaybeKeyed> {
    return new RouteBuilder({ ...this.steps, key: keyOptional });
  }

  handle(handler: (ctx: HandlerContext<User, Body, Query, Extra>) => Promise<HandlerResult>): RouteHandler {
    return serve(this.steps, handler);
  }
}

/** `route('POST /api/events')`: the method and route template, which is also the idempotency scope. */
export function route(template: string): RouteBuilder<AuthUser, undefined, undefined, Plain> {
  return new RouteBuilder({ template, session: signedIn, body: noBody, query: noQuery, key: noKey });
}

function serve<User extends AuthUser | null, Body, Query, Extra>(
  steps: Steps<User, Body, Query, Extra>,
  handler: (ctx: HandlerContext<User, Body, Query, Extra>) => Promise<HandlerResult>,
): RouteHandler {
  const method = steps.template.split(' ')[0] ?? 'GET';
  return async (request, context) => {
    const started = performance.now();
    const locale = requestLocale(request);
    const cookies: string[] = [];
    let answer: JsonResponse;
    try {
      answer = await handleRequest();
    } catch (error) {
      answer = failure(error, steps.template, locale);
    }
    const response = toResponse(answer);
    for (const cookie of cookies) response.headers.append('Set-Cookie', cookie);
    observeRequest(steps.template, response.status, performance.now() - started);
    return response;

    async function handleRequest(): Promise<JsonResponse> {
      if (MUTATIONS.has(method)) checkOrigin(request);
      const user = await steps.session(request, cookies);
      const rawBody = steps.body.reads ? await readJsonBody(request) : undefined;
      const run = steps.key(request);
      if (steps.body.reads) assertStorableJson(rawBody);
      const body = steps.body.validate(rawBody);
      const url = new URL(request.url);
      const query = steps.query(url);
      const params = context?.params ? await context.params : {};
      const confirmCredit = url.searchParams.get('confirm_credit') === '1';
      const principal = principalOf(user, request);
      const base: BaseContext<User, Body, Query> = { request, params, locale, user, body, query, principal, confirmCredit };
      const toJson = (result: HandlerResult): JsonResponse => {
        if (result.cookies) cookies.push(...result.cookies);
        return {
          status: result.status,
          body: result.status === 204 ? null : { success: true, data: result.data ?? null },
          headers: result.headers ?? {},
        };
      };
      return run(
        { template: steps.template, method, principal, params, rawBody, confirmCredit, locale, toJson },
        (extra) => handler({ ...base, ...extra }),
      );
    }
  };
}

// ---- step details -------------------------------------------------------

export function requestLocale(request: Request): Locale {
  return resolveLocale(readCookie(request, LOCALE_COOKIE), request.headers.get('accept-language'));
}

function principalOf(user: AuthUser | null, request: Request): Principal {
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
  if (process.env.APP_ORIGIN) allowed.add(process.env.APP_ORIGIN.replace(/\/$/, ''));
  if (!allowed.has(origin)) throw new AppError('FORBIDDEN_ORIGIN');
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request, BODY_LIMIT_BYTES);
  if (text === null) throw new AppError('PAYLOAD_TOO_LARGE');
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
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
export function failure(error: unknown, template: string, locale: Locale): JsonResponse {
  if (error instanceof AppError) return errorResponse(error, locale);
  if (isDatabaseUnavailable(error)) {
    logLine('warn', 'db.unavailable', { route: template, cause: describeError(error).message });
    return errorResponse(new AppError('SERVICE_UNAVAILABLE', { retryAfterSeconds: DB_RETRY_AFTER_SECONDS }), locale);
  }
  logLine('error', 'request.failed', { route: template, cause: describeError(error) });
  return errorResponse(new AppError('INTERNAL_ERROR'), locale);
}
