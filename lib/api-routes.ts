// Every /api route: its path as its folder under app/api spells it, and the
// methods its route file serves. The one place route templates come from: the
// route handlers (`methods()` in lib/http/methods.ts), the metrics labels and
// the browser's outcome lookups all take them from here, so the compiler
// refuses a path or method that is not served. lib/api-routes.test.ts checks
// the table against the folders. Imports nothing: browser code shares it.

export const API_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ApiMethod = (typeof API_METHODS)[number];

export const API_ROUTES = {
  '/api/[...path]': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  '/api/auth/sign-in': ['POST'],
  '/api/auth/sign-out': ['POST'],
  '/api/auth/sign-up': ['POST'],
  '/api/billing/checkout': ['POST'],
  '/api/billing/checkouts/[id]': ['GET'],
  '/api/billing/checkouts/[id]/test-pay': ['POST'],
  '/api/billing/packs': ['GET'],
  '/api/credits': ['GET'],
  '/api/cron/idempotency-purge': ['POST'],
  '/api/events': ['GET', 'POST'],
  '/api/events/[id]': ['GET', 'PATCH', 'DELETE'],
  '/api/events/[id]/cover': ['PUT', 'DELETE'],
  '/api/events/[id]/registrations': ['GET'],
  '/api/events/[id]/registrations.csv': ['GET'],
  '/api/events/[id]/registrations/[rid]/cancel': ['POST'],
  '/api/events/[id]/registrations/[rid]/check-in': ['POST'],
  '/api/idempotency/[key]': ['GET'],
  '/api/me': ['GET'],
  '/api/me/settings': ['GET', 'PATCH'],
  '/api/metrics': ['GET'],
  '/api/public/events/[slug]': ['GET'],
  '/api/public/events/[slug]/calendar.ics': ['GET'],
  '/api/public/events/[slug]/registrations': ['POST'],
  '/api/public/registrations/[token]': ['GET'],
  '/api/public/registrations/[token]/cancel': ['POST'],
  '/api/webhooks/stripe': ['POST'],
  '/api/webhooks/stripe-connect': ['POST'],
  // ---- integrations ----
  '/api/api-keys': ['GET', 'POST'],
  '/api/api-keys/[id]': ['DELETE'],
  '/api/webhook-endpoints': ['GET', 'POST'],
  '/api/webhook-endpoints/[id]': ['DELETE'],
  '/api/webhook-endpoints/[id]/deliveries': ['GET'],
  '/api/webhook-endpoints/[id]/deliveries/[did]/retry': ['POST'],
  '/api/webhook-endpoints/[id]/test': ['POST'],
  '/api/openapi.json': ['GET'],
  // Door check-in
  '/api/events/[id]/check-in/snapshot': ['GET'],
  '/api/events/[id]/check-in/scans': ['POST'],
  // Paid tickets
  '/api/events/[id]/ticket-types': ['GET', 'POST'],
  '/api/events/[id]/ticket-types/[tid]': ['PATCH'],
  '/api/events/[id]/orders': ['GET'],
  '/api/events/[id]/orders/[oid]/refund': ['POST'],
  '/api/events/[id]/orders/[oid]/refunds/[rfid]/retry': ['POST'],
  '/api/public/events/[slug]/orders': ['POST'],
  '/api/public/orders/[token]': ['GET'],
  '/api/public/orders/[token]/cancel': ['POST'],
  '/api/public/orders/[token]/test-pay': ['POST'],
  '/api/cron/tickets': ['POST'],
  // Discount and access codes
  '/api/events/[id]/codes': ['GET', 'POST'],
  '/api/events/[id]/codes/[cid]': ['PATCH', 'DELETE'],
  '/api/events/[id]/codes/bulk': ['POST'],
  '/api/events/[id]/codes.csv': ['GET'],
  // Questions for guests
  '/api/events/[id]/questions': ['GET', 'POST'],
  '/api/events/[id]/questions/[qid]': ['PATCH', 'DELETE'],
  '/api/events/[id]/questions/order': ['PUT'],
  '/api/public/registrations/[token]/answers': ['PATCH'],
  '/api/public/orders/[token]/answers': ['PATCH'],
  '/api/events/[id]/registrations/[rid]/personal-data': ['DELETE'],
  // Teams, roles and door devices
  '/api/teams': ['GET', 'POST'],
  // Door devices
  '/api/events/[id]/door-devices': ['GET', 'POST'],
  '/api/events/[id]/door-devices/[did]': ['DELETE'],
  // Teams: members and invitations
  '/api/teams/[tid]/members': ['GET'],
  '/api/teams/[tid]/members/[uid]': ['PATCH', 'DELETE'],
  '/api/teams/[tid]/membership': ['DELETE'],
  '/api/teams/[tid]/invitations': ['POST'],
  '/api/teams/[tid]/invitations/[iid]': ['DELETE'],
  '/api/invitations/[token]/accept': ['POST'],
  // Audit log (branch audit)
  '/api/teams/[tid]/audit': ['GET'],
  // Organiser payouts (Stripe Connect)
  '/api/teams/[tid]/payouts': ['GET'],
  '/api/teams/[tid]/payouts.csv': ['GET'],
  '/api/teams/[tid]/payouts/account': ['POST'],
  '/api/teams/[tid]/payouts/test-onboarding': ['POST'],
} as const satisfies Record<`/api/${string}`, readonly ApiMethod[]>;

export type ApiPath = keyof typeof API_ROUTES;
/** The methods the route file at `P` serves. */
export type MethodOf<P extends ApiPath> = (typeof API_ROUTES)[P][number];

/** A method and a path: what names a route in scopes, metrics and logs. */
export type Endpoint<P extends string = string, M extends ApiMethod = ApiMethod> = { readonly method: M; readonly path: P };

/** One served route of the table, e.g. `apiRoute('POST', '/api/events')`. */
export function apiRoute<P extends ApiPath, M extends MethodOf<P>>(method: M, path: P): Endpoint<P, M> {
  return { method, path };
}

/**
 * `POST /api/events`: the route's spelling in idempotency scopes (stored, and
 * accepted by `GET /api/idempotency/:key?route=`, docs/api.md) and log lines.
 */
export function routeLabel(endpoint: Endpoint): string {
  return `${endpoint.method} ${endpoint.path}`;
}

/** Every served route of the table. */
export function allApiRoutes(): Endpoint<ApiPath>[] {
  return (Object.keys(API_ROUTES) as ApiPath[]).flatMap((path) => {
    const methods: readonly ApiMethod[] = API_ROUTES[path];
    return methods.map((method) => ({ method, path }));
  });
}

type Segment<P extends string> = P extends `${infer Head}/${infer Rest}` ? Segment<Head> | Segment<Rest> : P;
type ParamName<S extends string> = S extends `[...${string}]` ? never : S extends `[${infer Name}]` ? Name : never;
/** The path parameters Next hands the route file at `P`: `{ id: string }` for `/api/events/[id]`. A catch-all is not read. */
export type ParamsOf<P extends string> = { [Name in ParamName<Segment<P>>]: string };

/** A query string's values; `undefined` leaves the name out. */
export type QueryValues = Record<string, string | number | boolean | undefined>;

/** The routes a client may call by path: every one but the catch-all, which no URL is built for. */
export type CallablePath = Exclude<ApiPath, '/api/[...path]'>;

/** `apiUrl`'s arguments after the path: a route without parameters takes none (or `{}`) before its query. */
export type UrlArgs<P extends string> = keyof ParamsOf<P> extends never
  ? [params?: Record<string, never>, query?: QueryValues | URLSearchParams]
  : [params: ParamsOf<P>, query?: QueryValues | URLSearchParams];

/**
 * The URL of a served route, its parameters encoded into their segments:
 * `apiUrl('/api/events/[id]/registrations', { id }, { status: 'confirmed' })`.
 * A path the table does not serve, or a missing or unknown parameter, does not compile.
 */
export function apiUrl<P extends CallablePath>(path: P, ...[params, query]: UrlArgs<P>): string {
  return filledUrl(path, params ?? {}, query);
}

/** `apiUrl` for a caller whose route the compiler has checked already (`apiCall`). */
export function filledUrl(path: string, params: Partial<Record<string, string>>, query?: QueryValues | URLSearchParams): string {
  const filled = path.replace(/\[([^\]]+)\]/g, (_segment, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`apiUrl: no value for [${name}] in ${path}`);
    return encodeURIComponent(value);
  });
  const search = query instanceof URLSearchParams ? query : searchOf(query);
  const text = search.toString();
  return text ? `${filled}?${text}` : filled;
}

function searchOf(query: QueryValues | undefined): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  return search;
}
