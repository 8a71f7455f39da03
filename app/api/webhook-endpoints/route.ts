import { methods } from '@/lib/http/methods';
import { WEBHOOK_EVENT_PERMISSION } from '@/lib/teams/permissions';
import { checkEndpointUrl, createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';
import { createWebhookEndpointSchema } from '@/lib/webhooks/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints', {
  GET: (route) => route.handle(async ({ team, db }) => ({ status: 200, data: { endpoints: await listEndpoints(db, team.id) } })),
  POST: (route) => route
    .body(createWebhookEndpointSchema)
    .idempotent()
    // The host's DNS lookup before the layer's transaction opens: no pooled connection waits on DNS.
    // First, each event's data must be the caller's to read (a key's scopes): 403 before any lookup.
    .before(({ team, body }) => {
      for (const type of body.events) team.require(WEBHOOK_EVENT_PERMISSION[type]);
      return checkEndpointUrl(body.url);
    })
    .handle(async ({ team, actor, body, db, prepared, apiKeyId }) => {
      // An integration may subscribe itself with its key; the endpoint records which key did.
      const { endpoint, secret } = await createEndpoint(db, { teamId: team.id, target: prepared, events: body.events, apiKeyId, actor });
      // The signing secret is in this answer only: never in the idempotency record, so a replay answers without it.
      return { status: 201, data: { endpoint }, unstored: { secret }, resource: { type: 'webhook_endpoint', id: endpoint.id } };
    }),
});
