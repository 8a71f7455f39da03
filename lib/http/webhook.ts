// A provider's webhook: no session, no Origin check, no Idempotency-Key (the
// provider's inbox is its idempotency), and the body handed over raw, because
// its signature is over the exact bytes. Errors answer in the envelope.
import type { Endpoint } from '@/lib/api-routes';
import { AppError } from '@/lib/errors';
import { observeRequest } from '@/lib/metrics/request-hooks';
import { readBodyText } from './body';
import { toResponse, type JsonResponse } from './envelope';
import { failure, requestLocale, type RouteHandler } from './route';

/** Stripe's events are a few KB; a checkout session with many line items stays well below this. */
export const WEBHOOK_BODY_LIMIT_BYTES = 512 * 1024;

export function webhook(endpoint: Endpoint, handle: (rawBody: string, request: Request) => Promise<unknown>): RouteHandler {
  return async (request) => {
    const started = performance.now();
    let answer: JsonResponse;
    try {
      const rawBody = await readBodyText(request, WEBHOOK_BODY_LIMIT_BYTES);
      if (rawBody === null) throw new AppError('PAYLOAD_TOO_LARGE');
      const data = await handle(rawBody, request);
      answer = { status: 200, body: { success: true, data }, headers: {} };
    } catch (error) {
      answer = failure(error, endpoint, requestLocale(request));
    }
    observeRequest(endpoint, answer.status, performance.now() - started);
    return toResponse(answer);
  };
}
