import { revokeApiKey } from '@/lib/auth/api-keys';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/api-keys/[id]', {
  DELETE: (route) => route.idempotent().handle(async ({ user, params, db }) => {
    await revokeApiKey(db, { id: params.id, userId: user.id });
    return { status: 204, resource: { type: 'api_key', id: params.id } };
  }),
});
