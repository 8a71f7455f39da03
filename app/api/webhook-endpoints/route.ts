import { methods } from '@/lib/http/methods';
import { checkEndpointUrl, createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';
import { createWebhookEndpointSchema } from '@/lib/webhooks/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints', {
  GET: (route) => route.handle(async ({ team, db }) => ({ status: 200, data: { endpoints: await listEndpoints(db, team.id) } })),
  POST: (route) => route
    .body(createWebhookEndpointSchema)
    .idempotent()
    // The host's DNS lookup before the layer's transaction opens: no pooled connection waits on DNS.
    .before(({ body }) => checkEndpointUrl(body.url))
    .handle(async ({ team, actor, body, db, prepared, apiKeyId }) => {
      // An integration may subscribe itself with its key; the endpoint records which key did.
      const { endpoint, secret } = await createEndpoint(db, { teamId: team.id, target: prepared, events: body.events, apiKeyId, actor });
      // The signing secret is in this answer only: never in the idempotency record, so a replay answers without it.
      return { status: 201, data: { endpoint }, unstored: { secret }, resource: { type: 'webhook_endpoint', id: endpoint.id } };
    }),
});
