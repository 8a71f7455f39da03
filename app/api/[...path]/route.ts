// Any /api path no route handles: a 404 in the envelope rather than Next's HTML page.
import { AppError } from '@/lib/errors';
import { methods, type MethodHandler } from '@/lib/http/methods';

const notFound: MethodHandler<'/api/[...path]'> = (route) =>
  route.public().handle(async () => {
    throw new AppError('NOT_FOUND');
  });

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/[...path]', {
  GET: notFound,
  POST: notFound,
  PUT: notFound,
  PATCH: notFound,
  DELETE: notFound,
});
