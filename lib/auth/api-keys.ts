// Bearer API keys (docs/api.md, "Integrations"): the owner of the api_keys
// row. The secret is `evk_` + 32 random bytes (base64url), shown once; only
// its SHA-256 is stored, so a lookup per request is one indexed statement,
// and a revoked key is refused by the next request on every instance.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { apiKeys, profiles, type ApiKeyRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { consumePoint, type RateLimit } from '@/lib/rate-limit';
import { hashToken, newToken } from '@/lib/tokens';
import { localUsers } from './local-users';
import type { ApiKeyDto } from './schemas';
import type { AuthUser } from './types';
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

export function toApiKeyDto(row: Pick<ApiKeyRow, 'id' | 'name' | 'prefix' | 'createdAt' | 'lastUsedAt'>): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(tx: Tx, { userId, name }: { userId: string; name: string }): Promise<{ apiKey: ApiKeyDto; secret: string }> {
  const secret = `${API_KEY_SECRET_PREFIX}${newToken()}`;
  const [row] = await tx
    .insert(apiKeys)
    .values({ userId, name, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashToken(secret) })
    .returning();
  if (!row) throw new Error('insert into api_keys returned no row');
  return { apiKey: toApiKeyDto(row), secret };
}

/** The organiser's live keys, newest first. */
export async function listApiKeys(db: Queryable, userId: string): Promise<ApiKeyDto[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.map(toApiKeyDto);
}

/** Revokes one of the organiser's live keys; another's, an unknown or a revoked one is NOT_FOUND. */
export async function revokeApiKey(tx: Tx, { id, userId }: { id: string; userId: string }): Promise<void> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (revoked.length === 0) throw new AppError('NOT_FOUND');
}

/**
 * The organiser a bearer secret belongs to, with the key's id, or null (unknown or revoked):
 * one statement that reads the live key with its user and moves lastUsedAt
 * when it is over a minute old. Then one point of the key's rate limit
 * (429 RATE_LIMITED past it). Both on the pool, before any transaction.
 */
export async function userForApiKey(db: Queryable, secret: string): Promise<{ user: AuthUser; apiKeyId: string } | null> {
  if (!secret.startsWith(API_KEY_SECRET_PREFIX) || secret.length > 200) return null;
  const hash = hashToken(secret);
  const result = await db.execute<{ key_id: string; id: string; email: string | null; name: string | null }>(sql`
    with k as (
      select id, user_id, last_used_at from ${apiKeys} where secret_hash = ${hash} and revoked_at is null
    ), touched as (
      update ${apiKeys} a set last_used_at = now() from k
      where a.id = k.id and (k.last_used_at is null or k.last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}))
      returning a.id
    )
    select k.id as key_id, u.id, u.email, p.name
    from k join ${localUsers} u on u.id = k.user_id left join ${profiles} p on p.user_id = k.user_id`);
  const row = result.rows[0];
  if (!row) return null;
  await consumePoint(db, apiKeyRateLimit(), row.key_id);
  return { user: { id: row.id, email: row.email ?? '', name: row.name }, apiKeyId: row.key_id };
}
