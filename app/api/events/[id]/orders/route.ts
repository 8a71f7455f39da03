import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { listOrdersQuerySchema } from '@/lib/tickets/schemas';
import { listOrders } from '@/lib/tickets/organiser-orders';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/orders', {
  GET: (route) => route
    .query(listOrdersQuerySchema)
    .handle(async ({ team, params, query, db }) => {
      const list = await listOrders(db, { eventId: params.id, teamId: team.id }, query);
      if (!list) throw new AppError('NOT_FOUND');
      return { status: 200, data: list };
    }),
});
