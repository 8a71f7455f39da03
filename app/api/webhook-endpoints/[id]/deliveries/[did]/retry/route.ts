import { methods } from '@/lib/http/methods';
import { retryDelivery } from '@/lib/webhooks/endpoints';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints/[id]/deliveries/[did]/retry', {
  POST: (route) => route.idempotent().handle(async ({ team, params, db }) => {
    const delivery = await retryDelivery(db, { id: params.id, teamId: team.id, deliveryId: params.did });
    return { status: 202, data: { delivery }, resource: { type: 'webhook_delivery', id: delivery.id } };
  }),
});
