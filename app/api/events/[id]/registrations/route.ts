import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';
import { listEventRegistrations, listRegistrationsQuerySchema } from '@/lib/registrations/queries';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/registrations', {
  GET: (route) => route
    .query(listRegistrationsQuerySchema)
    .handle(async ({ team, params, query, db }) => {
      const id = params.id;
      if (!isUuid(id)) throw new AppError('NOT_FOUND');
      const list = await listEventRegistrations(db, id, team.id, query);
      if (!list) throw new AppError('NOT_FOUND');
      return { status: 200, data: list };
    }),
});
