import { createApiKey, listApiKeys } from '@/lib/auth/api-keys';
import { createApiKeySchema } from '@/lib/auth/schemas';
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { grantableScopes } from '@/lib/teams/permissions';

// `keys:manage` (lib/teams/permissions.ts) is for browser sessions only: a key that could list or mint keys would
// outlive its own revocation.
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/api-keys', {
  GET: (route) => route.handle(async ({ team, db }) => ({ status: 200, data: { apiKeys: await listApiKeys(db, team.id) } })),
  POST: (route) => route
    .body(createApiKeySchema)
    .idempotent()
    .handle(async ({ team, actor, user, body, db }) => {
      // A key does no more than its maker may (lib/teams/permissions.ts): left out, the scopes are all the role may grant.
      const grantable = grantableScopes(team.role);
      const beyond = (body.scopes ?? []).filter((scope) => !grantable.includes(scope));
      if (beyond.length > 0) throw new AppError('FORBIDDEN_FOR_ROLE', { details: { scopes: beyond } });
      const scopes = body.scopes ?? grantable;
      const { apiKey, secret } = await createApiKey(db, { teamId: team.id, createdBy: user?.id ?? null, name: body.name, scopes, actor });
      // The secret is in this answer only: never in the idempotency record, so a replay answers without it.
      return { status: 201, data: { apiKey }, unstored: { secret }, resource: { type: 'api_key', id: apiKey.id } };
    }),
});
