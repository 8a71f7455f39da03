import { readCookie } from '@/lib/auth/cookies';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { errorResponse, toResponse } from './envelope';
import { ApiError } from './errors';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];
type Handler = (request: Request) => Promise<Response>;

/**
 * Handlers for the methods a route does not serve: 405 in the envelope with
 * `Allow`, where Next would answer with an empty body. Each route file
 * exports the ones it lacks, one named export each (Next finds methods by
 * their export names): `export const PUT = otherMethods('GET', 'POST').PUT`.
 */
export function otherMethods(...allowed: Method[]): Record<Method, Handler> {
  const handler: Handler = async (request) =>
    toResponse(
      errorResponse(
        new ApiError('METHOD_NOT_ALLOWED', { headers: { Allow: allowed.join(', ') } }),
        resolveLocale(readCookie(request, LOCALE_COOKIE), request.headers.get('accept-language')),
      ),
    );
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
