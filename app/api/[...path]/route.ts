// Any /api path no route handles: a 404 in the envelope rather than Next's HTML page.
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';

const notFound = async (): Promise<never> => {
  throw new AppError('NOT_FOUND');
};

// Every method of the catch-all is `public` (lib/teams/permissions.ts).
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/[...path]', {
  GET: (route) => route.handle(notFound),
  POST: (route) => route.handle(notFound),
  PUT: (route) => route.handle(notFound),
  PATCH: (route) => route.handle(notFound),
  DELETE: (route) => route.handle(notFound),
});
