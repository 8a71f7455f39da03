import { methods } from '@/lib/http/methods';
import { deleteEndpoint } from '@/lib/webhooks/endpoints';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints/[id]', {
  DELETE: (route) => route.idempotent().handle(async ({ team, actor, params, db }) => {
    await deleteEndpoint(db, { id: params.id, teamId: team.id }, actor);
    return { status: 204, resource: { type: 'webhook_endpoint', id: params.id } };
  }),
});
