import { methods } from '@/lib/http/methods';
import { checkEndpointUrl, createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';
import { createWebhookEndpointSchema } from '@/lib/webhooks/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints', {
  GET: (route) => route.handle(async ({ user, db }) => ({ status: 200, data: { endpoints: await listEndpoints(db, user.id) } })),
  POST: (route) => route
    .body(createWebhookEndpointSchema)
    .idempotent()
    // The host's DNS lookup before the layer's transaction opens: no pooled connection waits on DNS.
    .before(({ body }) => checkEndpointUrl(body.url))
    .handle(async ({ user, body, db, prepared }) => {
      const created = await createEndpoint(db, { userId: user.id, target: prepared, events: body.events });
      return { status: 201, data: created, resource: { type: 'webhook_endpoint', id: created.endpoint.id } };
    }),
});
