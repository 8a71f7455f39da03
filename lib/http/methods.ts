// A route file's methods: the ones lib/api-routes.ts lists for its path, each
// built from the route builder it is handed, and for every other one
// `405 METHOD_NOT_ALLOWED` with `Allow` in the envelope (Next would answer an
// empty body). Next finds handlers by their export names, so a route file says
//   export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events', { GET: (route) => …, POST: (route) => … });
// The compiler refuses a path missing from the table, and a method the table
// does not list for it, or one it lists that the file leaves out.
import { API_METHODS, type ApiMethod, type ApiPath, type MethodOf } from '@/lib/api-routes';
import { AppError } from '@/lib/errors';
import { errorResponse, toResponse } from './envelope';
import { asProblemIfAsked } from './problem';
import { requestLocale, route, type RouteHandler } from './route';

/** Builds one method's handler from the route builder made for it (signed in, no body, no key). */
export type MethodHandler<P extends ApiPath> = (builder: ReturnType<typeof route<P>>) => RouteHandler;

export function methods<P extends ApiPath>(path: P, served: { [M in MethodOf<P>]: MethodHandler<P> }): Record<ApiMethod, RouteHandler> {
  const builders: Partial<Record<ApiMethod, MethodHandler<P>>> = served;
  const handlers: Partial<Record<ApiMethod, RouteHandler>> = {};
  for (const method of API_METHODS) {
    const build = builders[method];
    if (build) handlers[method] = build(route(method, path));
  }
  const allow = API_METHODS.filter((m) => handlers[m]).join(', ');
  const notAllowed: RouteHandler = async (request) =>
    asProblemIfAsked(request, toResponse(errorResponse(new AppError('METHOD_NOT_ALLOWED'), requestLocale(request), { Allow: allow })));
  return {
    GET: handlers.GET ?? notAllowed,
    POST: handlers.POST ?? notAllowed,
    PUT: handlers.PUT ?? notAllowed,
    PATCH: handlers.PATCH ?? notAllowed,
    DELETE: handlers.DELETE ?? notAllowed,
  };
}
