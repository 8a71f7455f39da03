// The organiser's CSV export. Not through route(): its answer is text/csv,
// not the JSON envelope; its errors (401, 404, 503, 500) still answer in it.
import { authProvider } from '@/lib/auth';
import { AppError } from '@/lib/errors';
import { isEventId } from '@/lib/events/queries';
import { errorResponse, toResponse } from '@/lib/http/envelope';
import { methods } from '@/lib/http/methods';
import { failure, requestLocale } from '@/lib/http/route';
import { registrationsCsvOf } from '@/lib/registrations/server';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: async (request, context) => {
    const locale = requestLocale(request);
    try {
      const current = await authProvider().currentUser(request);
      if (!current) return toResponse(errorResponse(new AppError('UNAUTHENTICATED'), locale));
      const params = context?.params ? await context.params : {};
      const id = params.id;
      const csv = isEventId(id) ? await registrationsCsvOf(id, current.user.id) : null;
      const response = csv
        ? new Response(csv, {
            status: 200,
            headers: {
              'Content-Type': 'text/csv; charset=utf-8',
              'Content-Disposition': `attachment; filename="registrations-${id}.csv"`,
              'Cache-Control': 'no-store',
            },
          })
        : toResponse(errorResponse(new AppError('NOT_FOUND'), locale));
      for (const cookie of current.cookies) response.headers.append('Set-Cookie', cookie);
      return response;
    } catch (error) {
      return toResponse(failure(error, 'GET /api/events/[id]/registrations.csv', locale));
    }
  },
});
