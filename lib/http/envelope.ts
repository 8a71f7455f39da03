import { MESSAGES } from '@/lib/i18n/messages';
import type { Locale } from '@/lib/i18n/config';
import { ApiError, type ApiErrorBody, type ErrorCode } from './errors';

/** A response as the idempotency layer stores and replays it. */
export type JsonResponse = {
  status: number;
  /** The envelope, or null for a 204. */
  body: unknown;
  headers: Record<string, string>;
};

export type SuccessEnvelope<T> = { success: true; data: T };
export type ErrorEnvelope = { success: false; error: ApiErrorBody };
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return MESSAGES[locale].errors[code];
}

export function validationMessage(key: string, locale: Locale): string {
  const messages: Record<string, string> = MESSAGES[locale].validation;
  return messages[key] ?? messages.invalid ?? key;
}

export function errorEnvelope(error: ApiError, locale: Locale): ErrorEnvelope {
  const body: ApiErrorBody = { code: error.code, message: errorMessage(error.code, locale) };
  if (error.options.details) body.details = error.options.details;
  if (error.options.fieldErrors) {
    body.fieldErrors = Object.fromEntries(
      Object.entries(error.options.fieldErrors).map(([field, keys]) => [
        field,
        keys.map((key) => validationMessage(key, locale)),
      ]),
    );
  }
  return { success: false, error: body };
}

export function errorResponse(error: ApiError, locale: Locale): JsonResponse {
  return { status: error.status, body: errorEnvelope(error, locale), headers: { ...error.options.headers } };
}

export function toResponse(result: JsonResponse, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ ...result.headers, ...extraHeaders, 'Cache-Control': 'no-store' });
  if (result.status === 204 || result.body === null) return new Response(null, { status: result.status, headers });
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(result.body), { status: result.status, headers });
}
