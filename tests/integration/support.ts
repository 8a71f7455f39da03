// Real Request objects into the exported route handlers, with real sessions.
import { randomInt, randomUUID } from 'node:crypto';
import { POST as signUp } from '@/app/api/auth/sign-up/route';

export const ORIGIN = 'http://localhost:3000';

export type Organiser = { id: string; email: string; cookie: string };

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = {
  body?: unknown;
  /** Raw text body, sent as is (malformed JSON, oversized bodies). */
  rawBody?: string;
  cookie?: string;
  key?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
};

// Each test file gets a fresh copy of this module, so the counter starts at a
// random place: files that run in one database would otherwise share their
// first addresses and together pass the per-address sign-up limit.
let addressCounter = randomInt(0, 60_000);

/** A distinct client address per request (TEST-NET-2, RFC 5737), so per-address limits only bite where a test means them to. */
function nextAddress(): string {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
}

export function buildRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers = new Headers({ host: 'localhost:3000', 'x-forwarded-for': nextAddress(), ...options.headers });
  if (options.cookie) headers.set('cookie', options.cookie);
  if (options.key) headers.set('idempotency-key', options.key);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Request(new URL(path, ORIGIN), { method, headers, body });
}

export async function call(handler: Handler, method: string, path: string, options: CallOptions = {}) {
  const response = await handler(buildRequest(method, path, options), {
    params: Promise.resolve(options.params ?? {}),
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  return { status: response.status, headers: response.headers, json, text };
}

export function sessionCookieFrom(response: { headers: Headers }): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('session='));
  if (!setCookie) throw new Error('no session cookie in the response');
  return setCookie.split(';')[0] ?? '';
}

export function uniqueEmail(prefix = 'organiser'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs up a new organiser through the real endpoint and returns its session cookie. */
export async function createOrganiser(name = 'Test Organiser'): Promise<Organiser> {
  const email = uniqueEmail();
  const res = await call(signUp, 'POST', '/api/auth/sign-up', {
    body: { email, password: 'correct-horse-battery', name },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  const user = (res.json as { data: { user: { id: string } } }).data.user;
  return { id: user.id, email, cookie: sessionCookieFrom(res) };
}
