import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { createApiKeySchema } from '@/lib/auth/schemas';
import { methods } from '@/lib/http/methods';

// Browser sessions only (`.sessionOnly()`): a key that could list or mint keys would outlive its own revocation.
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/api-keys', {
  GET: (route) => route.sessionOnly().handle(async ({ user, db }) => ({ status: 200, data: { apiKeys: await listApiKeys(db, user.id) } })),
  POST: (route) => route
    .sessionOnly()
    .body(createApiKeySchema)
    .idempotent()
    .handle(async ({ user, body, db }) => {
      const { apiKey, secret } = await createApiKey(db, { userId: user.id, name: body.name });
      // The secret is in this answer only: never in the idempotency record, so a replay answers without it.
      return { status: 201, data: { apiKey }, unstored: { secret }, resource: { type: 'api_key', id: apiKey.id } };
    }),
});
