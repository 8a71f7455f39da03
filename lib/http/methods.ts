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
import { accessOf, type AccessAt } from '@/lib/teams/permissions';
import { declaredRoute, requestLocale, type BuilderFor, type RouteHandler } from './route';

/**
 * Builds one method's handler from the route builder made for it: no body, no
 * key, and the session step its access in lib/teams/permissions.ts declares
 * (a permission: a member of the route's team, with `team` and `actor`).
 */
export type MethodHandler<P extends ApiPath, M extends MethodOf<P>> = (builder: BuilderFor<P, AccessAt<P, M>>) => RouteHandler;

export function methods<P extends ApiPath>(path: P, served: { [M in MethodOf<P>]: MethodHandler<P, M> }): Record<ApiMethod, RouteHandler> {
  const builders: Partial<Record<ApiMethod, (builder: never) => RouteHandler>> = served;
  const handlers: Partial<Record<ApiMethod, RouteHandler>> = {};
  for (const method of API_METHODS) {
    const build = builders[method];
    // The builder's type follows the method's declared access, which `served` was checked against.
    if (build) handlers[method] = build(declaredRoute(method, path, accessOf(path, method as MethodOf<P>)) as never);
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
