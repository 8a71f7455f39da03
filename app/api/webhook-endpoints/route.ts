import { methods } from '@/lib/http/methods';
import { createEndpoint, listEndpoints } from '@/lib/webhooks/endpoints';
import { createWebhookEndpointSchema } from '@/lib/webhooks/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhook-endpoints', {
  GET: (route) => route.handle(async ({ user, db }) => ({ status: 200, data: { endpoints: await listEndpoints(db, user.id) } })),
  POST: (route) => route
    .body(createWebhookEndpointSchema)
    .idempotent()
    .handle(async ({ user, body, db }) => {
      const created = await createEndpoint(db, { userId: user.id, url: body.url, events: body.events });
      return { status: 201, data: created, resource: { type: 'webhook_endpoint', id: created.endpoint.id } };
    }),
});
