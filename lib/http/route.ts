// The one wrapper every /api route handler goes through. In the order of
// api.md: Origin, session, size, JSON, Idempotency-Key, validation; then the
// handler, inside withIdempotency when the route declares it. Handlers throw
// ApiError(code); this file turns everything into the envelope.
import type { z } from 'zod';
import { authProvider, type AuthUser } from '@/lib/auth';
import { getDb, type Queryable, type Tx } from '@/lib/db/pool';
import { LOCALE_COOKIE, resolveLocale, type Locale } from '@/lib/i18n/config';
import { readCookie } from '@/lib/auth/cookies';
import { parseIdempotencyKey } from '@/lib/idempotency/key';
import { withIdempotency, type ClaimedRecord } from '@/lib/idempotency/with-idempotency';
import { isDatabaseUnavailable, describeError } from './db-errors';
import { ApiError, type FieldErrors } from './errors';
import { errorResponse, toResponse, type JsonResponse } from './envelope';
import { logLine } from './log';
import { readBodyText, BODY_LIMIT_BYTES } from './body';
import { observeRequest } from './observe';
import { assertStorableJson } from './storable-json';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DB_RETRY_AFTER_SECONDS = 5;

type Params = Record<string, string>;
type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

type IdempotencyMode = 'required' | 'optional' | undefined;

export type HandlerContext<User, Body, Query, I extends IdempotencyMode = undefined> = {
  request: Request;
  user: User;
  body: Body;
  query: Query;
  params: Params;
  locale: Locale;
  /** The idempotency transaction when the request runs inside the layer, else the pool: write through this. */
  db: I extends 'required' ? Tx : Queryable;
  /** The record this request executes under; always there when the key is required. */
  idempotency: I extends 'required' ? ClaimedRecord : ClaimedRecord | null;
  /** confirm_credit=1 on the request. */
  confirmCredit: boolean;
};

export type HandlerResult = {
  status: number;
  /** Wrapped as `{ success: true, data }`; omit for 204. */
  data?: unknown;
  headers?: Record<string, string>;
  /** Set-Cookie values. Not stored by the idempotency layer. */
  cookies?: string[];
  resource?: { type: string; id: string };
};

type Options<B extends Schema | undefined, Q extends Schema | undefined, A extends boolean, I extends IdempotencyMode> = {
  /** false for the auth endpoints themselves; everything else needs a session. */
  auth?: A;
  body?: B;
  query?: Q;
  idempotency?: I;
};

type RouteContext = { params: Promise<Params> };

/**
 * `route('POST /api/events', { body, idempotency: 'required' }, async (ctx) => …)`.
 * The first argument is the method and route template: the idempotency scope.
 */
export function route<
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  A extends boolean = true,
  I extends IdempotencyMode = undefined,
>(
  template: string,
  options: Options<B, Q, A, I>,
  handler: (ctx: HandlerContext<A extends false ? AuthUser | null : AuthUser, Infer<B>, Infer<Q>, I>) => Promise<HandlerResult>,
): (request: Request, context: RouteContext) => Promise<Response> {
  type Ctx = HandlerContext<A extends false ? AuthUser | null : AuthUser, Infer<B>, Infer<Q>, I>;
  const method = template.split(' ')[0] ?? 'GET';
  const requiresAuth = options.auth !== false;

  return async (request, context) => {
    const started = performance.now();
    const locale = resolveLocale(readCookie(request, LOCALE_COOKIE), request.headers.get('accept-language'));
    const cookies: string[] = [];
    let response: Response;
    try {
      const result = await run();
      response = toResponse(result);
    } catch (error) {
      response = toResponse(failure(error, template, locale));
    }
    for (const cookie of cookies) response.headers.append('Set-Cookie', cookie);
    observeRequest(template, response.status, performance.now() - started);
    return response;

    async function run(): Promise<JsonResponse> {
      if (MUTATIONS.has(method)) assertSameOrigin(request);

      const current = await authProvider().currentUser(request);
      if (current) cookies.push(...current.cookies);
      if (requiresAuth && !current) throw new ApiError('UNAUTHENTICATED');
      const user = (current?.user ?? null) as A extends false ? AuthUser | null : AuthUser;

      const params = context?.params ? await context.params : {};
      const url = new URL(request.url);
      const rawBody = options.body ? await readJsonBody(request) : undefined;
      const key = options.idempotency ? parseIdempotencyKey(request.headers.get('idempotency-key')) : null;
      if (options.idempotency === 'required' && key === null) throw new ApiError('IDEMPOTENCY_KEY_REQUIRED');

      if (options.body) assertStorableJson(rawBody);
      const body = (options.body ? parse(options.body, rawBody) : undefined) as Infer<B>;
      const query = (options.query ? parse(options.query, Object.fromEntries(url.searchParams)) : undefined) as Infer<Q>;
      const confirmCredit = url.searchParams.get('confirm_credit') === '1';

      const base = { request, user, body, query, params, locale, confirmCredit };
      const toJson = (result: HandlerResult): JsonResponse => {
        if (result.cookies) cookies.push(...result.cookies);
        return {
          status: result.status,
          body: result.status === 204 ? null : { success: true, data: result.data ?? null },
          headers: result.headers ?? {},
        };
      };

      if (key === null || !current) {
        // Only routes without a required key get here (checked above), so the pool is what they asked for.
        return toJson(await handler({ ...base, db: getDb(), idempotency: null } as Ctx));
      }
      return withIdempotency(
        { userId: current.user.id, route: template, key, method, params, body: rawBody ?? null, confirming: confirmCredit, locale },
        async (tx, record) => {
          const result = await handler({ ...base, db: tx, idempotency: record } as Ctx);
          return { ...toJson(result), resource: result.resource };
        },
      );
    }
  };
}

function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  if (origin === null) return; // curl and servers send none (api.md, rule 1)
  const allowed = new Set<string>();
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (host) {
    const proto = request.headers.get('x-forwarded-proto') ?? new URL(request.url).protocol.replace(':', '');
    allowed.add(`${proto}://${host}`);
  }
  allowed.add(new URL(request.url).origin);
  if (process.env.APP_ORIGIN) allowed.add(process.env.APP_ORIGIN.replace(/\/$/, ''));
  if (!allowed.has(origin)) throw new ApiError('FORBIDDEN_ORIGIN');
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request, BODY_LIMIT_BYTES);
  if (text === null) throw new ApiError('PAYLOAD_TOO_LARGE');
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('MALFORMED_JSON');
  }
}

/** zod issues as fieldErrors keyed by the body's field names (`location.address`). */
export function toFieldErrors(error: z.ZodError): { fieldErrors: FieldErrors; formErrors: string[] } {
  // No prototype: a body field named `toString` or `__proto__` is just a name here.
  const fieldErrors: FieldErrors = Object.create(null) as FieldErrors;
  const formErrors: string[] = [];
  const add = (field: string, message: string) => {
    const list = (fieldErrors[field] ??= []);
    if (!list.includes(message)) list.push(message);
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

function parse<S extends Schema>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { fieldErrors, formErrors } = toFieldErrors(result.error);
  throw new ApiError('VALIDATION_FAILED', {
    fieldErrors,
    ...(formErrors.length ? { details: { formErrors } } : {}),
  });
}

function failure(error: unknown, template: string, locale: Locale): JsonResponse {
  if (error instanceof ApiError) return errorResponse(error, locale);
  if (isDatabaseUnavailable(error)) {
    logLine('warn', 'db.unavailable', { route: template, cause: describeError(error).message });
    return errorResponse(
      new ApiError('SERVICE_UNAVAILABLE', { headers: { 'Retry-After': String(DB_RETRY_AFTER_SECONDS) } }),
      locale,
    );
  }
  logLine('error', 'request.failed', { route: template, cause: describeError(error) });
  return errorResponse(new ApiError('INTERNAL_ERROR'), locale);
}
