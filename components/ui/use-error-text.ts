'use client';
import { useTranslations } from 'next-intl';
import type { ClientError, ClientErrorCode } from '@/lib/actions/api-client';

// A Record, so that a new ClientErrorCode does not compile until it is listed here.
const clientErrorCodes: Record<ClientErrorCode, true> = { NETWORK_ERROR: true, TIMEOUT: true, UNEXPECTED_RESPONSE: true };

/** Whether a failure never reached the API's envelope (no answer, a timeout, a page that is not the API's). */
export function isClientError(error: ClientError): error is ClientError & { code: ClientErrorCode } {
  return Object.hasOwn(clientErrorCodes, error.code);
}

/**
 * The sentence for a failed request: our own words for a failure that never
 * reached the API; for the API's errors, `serverText` (by default the
 * server's message, already in the request's language).
 */
export function useErrorText(serverText: (error: ClientError) => string = (error) => error.message): (error: ClientError) => string {
  const t = useTranslations('clientErrors');
  return (error) => (isClientError(error) ? t(error.code) : serverText(error));
}

/**
 * The sentence for a failed request, always in our words: the `errors`
 * catalogue's for the API's code (a code it lacks reads as INTERNAL_ERROR's
 * "something went wrong"), never the server's own message.
 */
export function useCodeErrorText(): (error: ClientError) => string {
  const t = useTranslations('errors');
  return useErrorText((error) => (t.has(error.code) ? t(error.code) : t('INTERNAL_ERROR')));
}
