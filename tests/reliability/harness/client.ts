// A small HTTP client for the running instances: real sessions (the cookie
// from sign-up), the envelope parsed, nothing hidden.
import { randomUUID } from 'node:crypto';

export type ApiResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it was JSON, else undefined. */
  json: unknown;
};

export type RequestOptions = {
  body?: unknown;
  rawBody?: string;
  cookie?: string;
  key?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
};

export async function request(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers = new Headers(options.headers);
  if (options.cookie) headers.set('cookie', options.cookie);
  if (options.key) headers.set('idempotency-key', options.key);
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const send = () =>
    fetch(new URL(path, baseUrl), {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  // A kept-alive connection the server closed just as it was reused (ECONNRESET before any answer)
  // is retried once, as a client of this API would: only where that is safe, a read or a request
  // with an Idempotency-Key. A server that is down refuses the retry (ECONNREFUSED), which still fails.
  const retryable = options.key !== undefined || method === 'GET' || method === 'HEAD';
  const res = await send().catch((error: unknown) => {
    if (retryable && connectionReset(error)) return send();
    throw error;
  });
  const text = await res.text();
  let json: unknown;
  if (res.headers.get('content-type')?.includes('application/json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json };
}

export type Organiser = { id: string; email: string; cookie: string };

export async function signUp(baseUrl: string, name = 'Organiser'): Promise<Organiser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}@example.com`;
  const res = await request(baseUrl, 'POST', '/api/auth/sign-up', { body: { email, password: 'correct-horse-battery', name } });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  const user = (res.json as { data: { user: { id: string } } }).data.user;
  return { id: user.id, email, cookie };
}

export type { EventBody } from '../../support/event-body';
export { validEventBody as eventBody } from '../../support/event-body';

export type ErrorEnvelope = { success: false; error: { code: string; message: string; details?: Record<string, unknown> } };
export type EventEnvelope = { success: true; data: { event: { id: string; version: number; status: string }; credit?: { charged: boolean; balance: number } } };

/** The error code when the body is an error envelope, else null. */
export function errorCode(res: ApiResponse): string | null {
  const body = res.json as Partial<ErrorEnvelope> | undefined;
  return body?.success === false && typeof body.error?.code === 'string' ? body.error.code : null;
}

/** True when the response is JSON in the envelope (or a bodiless 204). */
export function isEnvelope(res: ApiResponse): boolean {
  if (res.status === 204) return res.text === '';
  const body = res.json as { success?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  if (!body || typeof body !== 'object') return false;
  if (body.success === true) return 'data' in body;
  return body.success === false && typeof body.error?.code === 'string' && typeof body.error.message === 'string';
}

export function eventIdOf(res: ApiResponse): string | null {
  const body = res.json as Partial<EventEnvelope> | undefined;
  return body?.success === true ? (body.data?.event.id ?? null) : null;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function connectionReset(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}
