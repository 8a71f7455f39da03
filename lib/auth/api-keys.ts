// Bearer API keys (docs/api.md, "Integrations", "Teams"): the owner of the
// api_keys row. A key belongs to a team and acts for it within its scopes. The secret is `evk_` + 32 random bytes (base64url), shown once; only
// its SHA-256 is stored, so a lookup per request is one indexed statement,
// and a revoked key is refused by the next request on every instance.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { apiKeys, type ApiKeyRow } from '@/lib/db/schema';
import type { Actor } from '@/lib/audit';
import { recordAudit } from '@/lib/audit';
import { API_KEY_SCOPES, type ApiKeyScope } from '@/lib/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { hashToken, newToken } from '@/lib/tokens';
import type { ApiKeyDto } from './schemas';
import { config } from '@/lib/config';

export const API_KEY_SECRET_PREFIX = 'evk_';
/** `evk_` and the first 8 characters of the random part: enough to tell keys apart on the settings page. */
const SHOWN_PREFIX_LENGTH = API_KEY_SECRET_PREFIX.length + 8;
/** lastUsedAt moves at most this often: a busy key does not write on every request. */
const TOUCH_EVERY_SECONDS = 60;

/** Requests per key and minute (API_KEY_RATE_LIMIT, default 600), shared by every instance. */
export function apiKeyRateLimit(): RateLimit {
  return { name: 'api_key', points: config().API_KEY_RATE_LIMIT, windowSeconds: 60 };
}

export function toApiKeyDto(row: Pick<ApiKeyRow, 'id' | 'name' | 'prefix' | 'scopes' | 'createdAt' | 'lastUsedAt'>): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  tx: Tx,
  { teamId, createdBy, name, scopes, actor }: { teamId: string; createdBy: string | null; name: string; scopes?: ApiKeyScope[]; actor: Actor },
): Promise<{ apiKey: ApiKeyDto; secret: string }> {
  const secret = `${API_KEY_SECRET_PREFIX}${newToken()}`;
  const [row] = await tx
    .insert(apiKeys)
    .values({ teamId, createdBy, name, scopes: scopes ?? [...API_KEY_SCOPES], prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashToken(secret) })
    .returning();
  if (!row) throw new Error('insert into api_keys returned no row');
  await recordAudit(tx, { teamId, actor, action: 'api_key.created', target: { type: 'api_key', id: row.id }, details: { name, scopes: row.scopes } });
  return { apiKey: toApiKeyDto(row), secret };
}

/** The team's live keys, newest first. */
export async function listApiKeys(db: Queryable, teamId: string): Promise<ApiKeyDto[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKeyDto);
}

/** Revokes one of the team's live keys; another team's, an unknown or a revoked one is NOT_FOUND. */
export async function revokeApiKey(tx: Tx, { id, teamId, actor }: { id: string; teamId: string; actor: Actor }): Promise<void> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.teamId, teamId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name });
  const row = revoked[0];
  if (!row) throw new AppError('NOT_FOUND');
  await recordAudit(tx, { teamId, actor, action: 'api_key.revoked', target: { type: 'api_key', id: row.id }, details: { name: row.name } });
}

/** A live key as a request presents it: the team it acts for and what it may do. */
export type KeyHolder = { apiKeyId: string; teamId: string; name: string; scopes: ApiKeyScope[] };

/**
 * The key a bearer secret names, or null (unknown or revoked): one statement
 * that reads the live key and moves lastUsedAt when it is over a minute old,
 * looked up on every request, so a revoked key is refused by the next one on
 * every instance. Then one point of the key's rate limit (429 RATE_LIMITED
 * past it). Both on the pool, before any transaction.
 */
export async function keyForSecret(db: Queryable, secret: string): Promise<KeyHolder | null> {
  if (!secret.startsWith(API_KEY_SECRET_PREFIX) || secret.length > 200) return null;
  const hash = hashToken(secret);
  const result = await db.execute<{ id: string; team_id: string; name: string; scopes: ApiKeyScope[] }>(sql`
    with k as (
      select id, team_id, name, scopes, last_used_at from ${apiKeys} where secret_hash = ${hash} and revoked_at is null
    ), touched as (
      update ${apiKeys} a set last_used_at = now() from k
      where a.id = k.id and (k.last_used_at is null or k.last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}))
      returning a.id
    )
    select k.id, k.team_id, k.name, k.scopes from k`);
  const row = result.rows[0];
  if (!row) return null;
  await consumePoint(db, apiKeyRateLimit(), row.id);
  return { apiKeyId: row.id, teamId: row.team_id, name: row.name, scopes: row.scopes };
}
