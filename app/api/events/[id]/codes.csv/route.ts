// The event's codes as CSV (a bulk creation's codes to hand out): text/csv;
// its errors answer in the envelope, decided before the first byte.
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { codesCsvOf } from '@/lib/tickets/codes';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/codes.csv', {
  GET: (route) =>
    route.handle(async ({ team, params, db }) => {
      const csv = await codesCsvOf(db, { eventId: params.id, teamId: team.id });
      if (csv === null) throw new AppError('NOT_FOUND');
      return {
        status: 200,
        body: csv,
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="codes-${params.id}.csv"` },
      };
    }),
});
