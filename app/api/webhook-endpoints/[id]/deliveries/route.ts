import { methods } from '@/lib/http/methods';
import { listDeliveries } from '@/lib/webhooks/endpoints';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints/[id]/deliveries', {
  GET: (route) => route.handle(async ({ team, params, db }) => ({
    status: 200,
    data: { deliveries: await listDeliveries(db, { id: params.id, teamId: team.id }) },
  })),
});
