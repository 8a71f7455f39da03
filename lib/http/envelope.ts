// The JSON envelope of every /api answer (docs/api.md, Envelope), with error
// messages in the request's locale.
import type { AppError, ErrorBody } from '@/lib/errors';
import { MESSAGES } from '@/lib/i18n/messages';
import type { Locale } from '@/lib/i18n/config';
import { ERROR_STATUS } from './status';

/** An answer before it becomes a Response: what handlers produce and the idempotency layer stores. */
export type JsonResponse = {
  status: number;
  /** The envelope, or null for a 204. */
  body: unknown;
  headers: Record<string, string>;
};

export type SuccessEnvelope<T> = { success: true; data: T };
export type ErrorEnvelope = { success: false; error: ErrorBody };
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;

function validationMessage(key: string, locale: Locale): string {
  const messages: Record<string, string> = MESSAGES[locale].validation;
  return messages[key] ?? messages.invalid ?? key;
}

function errorEnvelope(error: AppError, locale: Locale): ErrorEnvelope {
  const body: ErrorBody = { code: error.code, message: MESSAGES[locale].errors[error.code] };
  if (error.options.details) body.details = error.options.details;
  if (error.options.fieldErrors) {
    body.fieldErrors = Object.fromEntries(
      Object.entries(error.options.fieldErrors).map(([field, keys]) => [field, keys.map((key) => validationMessage(key, locale))]),
    );
  }
  return { success: false, error: body };
}

/** The error's status and envelope; Retry-After when it says when to try again. */
export function errorResponse(error: AppError, locale: Locale, headers: Record<string, string> = {}): JsonResponse {
  const retryAfter = error.options.retryAfterSeconds;
  return {
    status: ERROR_STATUS[error.code],
    body: errorEnvelope(error, locale),
    headers: retryAfter === undefined ? headers : { ...headers, 'Retry-After': String(retryAfter) },
  };
}

export function toResponse(result: JsonResponse): Response {
  const headers = new Headers({ ...result.headers, 'Cache-Control': 'no-store' });
  if (result.status === 204 || result.body === null) return new Response(null, { status: result.status, headers });
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(result.body), { status: result.status, headers });
}
