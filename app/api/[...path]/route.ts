// Any /api path no route handles: a 404 in the envelope rather than Next's HTML page.
import { AppError } from '@/lib/errors';
import { route } from '@/lib/http/route';

const notFound = (template: string) =>
  route(template)
    .public()
    .handle(async () => {
      throw new AppError('NOT_FOUND');
    });

export const GET = notFound('GET /api/[...path]');
export const POST = notFound('POST /api/[...path]');
export const PUT = notFound('PUT /api/[...path]');
export const PATCH = notFound('PATCH /api/[...path]');
export const DELETE = notFound('DELETE /api/[...path]');
