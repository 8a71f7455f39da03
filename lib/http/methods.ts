// A route file's methods: the ones it serves, and for every other one
// `405 METHOD_NOT_ALLOWED` with `Allow` in the envelope (Next would answer an
// empty body). Next finds handlers by their export names, so a route file says
//   export const { GET, POST, PUT, PATCH, DELETE } = methods({ GET: …, POST: … });
import { AppError } from '@/lib/errors';
import { errorResponse, toResponse } from './envelope';
import { requestLocale, type RouteHandler } from './route';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

export function methods(served: Partial<Record<Method, RouteHandler>>): Record<Method, RouteHandler> {
  const allow = METHODS.filter((m) => served[m]).join(', ');
  const notAllowed: RouteHandler = async (request) =>
    toResponse(errorResponse(new AppError('METHOD_NOT_ALLOWED'), requestLocale(request), { Allow: allow }));
  return {
    GET: served.GET ?? notAllowed,
    POST: served.POST ?? notAllowed,
    PUT: served.PUT ?? notAllowed,
    PATCH: served.PATCH ?? notAllowed,
    DELETE: served.DELETE ?? notAllowed,
  };
}
