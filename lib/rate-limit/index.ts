// The one rate limiter: fixed windows counted in Postgres (`auth_rate_limits`),
// so every instance shares them. A point is taken with one atomic upsert
// (INSERT … ON CONFLICT DO UPDATE … RETURNING, queued on the row lock), so
// however many requests arrive at once, at most the limit get through.
//
// It runs on whatever it is given: the pool (its own autocommit statement,
// e.g. before a sign-in's password check) or the caller's transaction (the
// point then rolls back with everything else, and no second pool connection
// is taken while the transaction is open). Keys are `<limit>:<SHA-256 of the
// value>`: a fixed length whatever the input (`key` is varchar(255)).
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { authRateLimits } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { clock } from '@/lib/clock';

export type RateLimit = {
  /** The key prefix, e.g. `signin_email`. */
  name: string;
  /** Points per window; the one after the last is refused. */
  points: number;
  windowSeconds: number;
};

/** The stored key for a value: a fixed-length digest, whatever the input's length. */
export function limitKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

function rowKey(limit: RateLimit, value: string): string {
  return `${limit.name}:${limitKey(value)}`;
}

/**
 * Takes one of `limit`'s points for `value`, or throws 429 RATE_LIMITED with
 * `retryAfterSeconds` (whole seconds to the window's end, at least 1). A
 * lapsed window starts again at one point.
 */
export async function consumePoint(db: Queryable, limit: RateLimit, value: string): Promise<void> {
  const now = clock().now();
  const windowEnd = now + limit.windowSeconds * 1000;
  const live = sql`${authRateLimits.expire} is null or ${authRateLimits.expire} > ${now}`;
  const [row] = await db
    .insert(authRateLimits)
    .values({ key: rowKey(limit, value), points: 1, expire: windowEnd })
    .onConflictDoUpdate({
      target: authRateLimits.key,
      set: {
        points: sql`case when ${live} then ${authRateLimits.points} + 1 else 1 end`,
        expire: sql`case when ${live} then ${authRateLimits.expire} else ${windowEnd} end`,
      },
    })
    .returning({ points: authRateLimits.points, expire: authRateLimits.expire });
  if (row && row.points > limit.points) {
    const msLeft = (row.expire ?? windowEnd) - now;
    throw new AppError('RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) });
  }
}

/** Gives one point back within the current window (never below zero, never into a new window). */
export async function givePointBack(db: Queryable, limit: RateLimit, value: string): Promise<void> {
  await db
    .update(authRateLimits)
    .set({ points: sql`greatest(${authRateLimits.points} - 1, 0)` })
    .where(sql`${authRateLimits.key} = ${rowKey(limit, value)} and (${authRateLimits.expire} is null or ${authRateLimits.expire} > ${clock().now()})`);
}
