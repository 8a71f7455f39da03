// A small fetch wrapper for the browser: one shape for every answer of the API,
// whether it is a success envelope, an error envelope, a page that is not JSON
// (a proxy's 502) or no answer at all.
import { filledUrl, type CallablePath, type Endpoint, type MethodOf, type ParamsOf, type QueryValues } from '@/lib/api-routes';
import type { ErrorBody, ErrorCode } from '@/lib/errors';
import type { JsonRoute, ResponseOf } from './api-responses';

/** Failures that never reached the API's envelope. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'UNEXPECTED_RESPONSE';

export type ClientError = Omit<ErrorBody, 'code'> & { code: ErrorCode | ClientErrorCode };

export type ApiSuccess<T> = { ok: true; status: number; data: T; headers: Headers };
export type ApiFailure = {
  ok: false;
  /** 0 when no response arrived. */
  status: number;
  error: ClientError;
  /** From the Retry-After header, in milliseconds. */
  retryAfterMs: number | null;
};
export type ApiResult<T> = ApiSuccess<T> | ApiFailure;

export type ApiRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  /** JSON, or a Blob (a File) sent as its bytes with its own type (an image upload). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The attempt's id, sent as the Idempotency-Key header. */
  correlationId?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 20_000;

/** Retry-After is either whole seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorBodyOf(value: unknown): ErrorBody | null {
  if (!isRecord(value) || value.success !== false || !isRecord(value.error)) return null;
  const { code, message } = value.error;
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return value.error as ErrorBody;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function apiRequest<T>(request: ApiRequest): Promise<ApiResult<T>> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const onOuterAbort = () => timeout.abort();
  request.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  const raw = typeof Blob !== 'undefined' && request.body instanceof Blob ? request.body : null;
  if (raw) headers['Content-Type'] = raw.type || 'application/octet-stream';
  else if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.correlationId) headers['Idempotency-Key'] = request.correlationId;

  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
      credentials: 'same-origin',
      signal: timeout.signal,
    });
    const json = await readJson(response);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (response.ok) {
      const data = isRecord(json) && json.success === true ? (json.data as T) : (null as T);
      return { ok: true, status: response.status, data, headers: response.headers };
    }
    const error: ClientError = errorBodyOf(json) ?? {
      code: response.status >= 500 ? 'INTERNAL_ERROR' : 'UNEXPECTED_RESPONSE',
      message: response.statusText || `HTTP ${response.status}`,
    };
    return { ok: false, status: response.status, error, retryAfterMs };
  } catch (cause) {
    const timedOut = timeout.signal.aborted && !request.signal?.aborted;
    const message = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, status: 0, error: { code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', message }, retryAfterMs: null };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** What a call adds to its route: the path's parameters (when it has any), the query, the body and the request's options. */
export type ApiCall<P extends string> = (keyof ParamsOf<P> extends never ? { params?: Record<string, never> } : { params: ParamsOf<P> }) & {
  query?: QueryValues | URLSearchParams;
} & Omit<ApiRequest, 'method' | 'url'>;

/**
 * Calls a served route of lib/api-routes.ts; its answer's `data` has the
 * route's type from api-responses.ts:
 * `apiCall(apiRoute('GET', '/api/events/[id]/registrations'), { params: { id }, query: { status } })`.
 * A route that answers a file or text (a CSV, the calendar) is a link (`apiUrl`), not a call.
 */
export function apiCall<P extends CallablePath, M extends MethodOf<P>>(
  route: Endpoint<P, M> & (`${M} ${P}` extends JsonRoute ? unknown : { readonly answersWithoutEnvelope: never }),
  ...[call]: keyof ParamsOf<P> extends never ? [call?: ApiCall<P>] : [call: ApiCall<P>]
): Promise<ApiResult<ResponseOf<M, P>>> {
  const { params, query, ...request } = call ?? {};
  return apiRequest<ResponseOf<M, P>>({ ...request, method: route.method, url: filledUrl(route.path, params ?? {}, query) });
}
