import { methods } from '@/lib/http/methods';
import { sendTestMessage } from '@/lib/webhooks/endpoints';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints/[id]/test', {
  POST: (route) => route.idempotent().handle(async ({ team, params, db }) => {
    const delivery = await sendTestMessage(db, { id: params.id, teamId: team.id });
    return { status: 202, data: { delivery }, resource: { type: 'webhook_delivery', id: delivery.id } };
  }),
});
