import { revokeApiKey } from '@/lib/auth/api-keys';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/api-keys/[id]', {
  // Browser sessions only (`keys:manage`): a key cannot revoke keys either (docs/api.md, "Integrations").
  DELETE: (route) => route.idempotent().handle(async ({ team, actor, params, db }) => {
    await revokeApiKey(db, { id: params.id, teamId: team.id, actor });
    return { status: 204, resource: { type: 'api_key', id: params.id } };
  }),
});
