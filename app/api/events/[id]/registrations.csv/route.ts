// The organiser's CSV export: a streamed text/csv body; its errors (401, 404,
// 503, 500) answer in the envelope, decided before the first byte.
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';
import { registrationsCsvOf } from '@/lib/registrations/server';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/registrations.csv', {
  GET: (route) =>
    route.handle(async ({ team, params }) => {
      const csv = isUuid(params.id) ? await registrationsCsvOf(params.id, team.id) : null;
      if (!csv) throw new AppError('NOT_FOUND');
      return {
        status: 200,
        body: csv,
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="registrations-${params.id}.csv"` },
      };
    }),
});
