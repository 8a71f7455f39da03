import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { createApiKeySchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/api-keys', {
  GET: (route) => route.handle(async ({ user, db }) => ({ status: 200, data: { apiKeys: await listApiKeys(db, user.id) } })),
  POST: (route) => route
    .body(createApiKeySchema)
    .idempotent()
    .handle(async ({ user, body, db }) => {
      const { apiKey, secret } = await createApiKey(db, { userId: user.id, name: body.name });
      // The secret is in this answer only: never in the idempotency record, so a replay answers without it.
      return { status: 201, data: { apiKey }, unstored: { secret }, resource: { type: 'api_key', id: apiKey.id } };
    }),
});
