// The SQL of the idempotency layer. Each function is one statement; the
// algorithm that combines them is in with-idempotency.ts.
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Database } from '@/lib/db/pool';
import type { Literal } from '@/lib/db/transaction';
import { idempotencyKeys, type IdempotencyStatus } from '@/lib/db/schema';
import { type Principal, principalScope, principalUserId } from './principal';
import type { StoredResponse } from './with-idempotency';

const COMPLETED_RETENTION = '7 days';
const UNFINISHED_RETENTION = '1 day';

export type Scope = { principal: Principal; route: string; key: string };

export type Claim = {
  id: string;
  attempt: number;
  /** The status the record had before this claim; null for a new record. */
  previousStatus: IdempotencyStatus | null;
};

export type ClaimInput = Scope & {
  requestHash: string;
  requestBody: { params: Record<string, string>; body: unknown };
  leaseSeconds: number;
  /** This request gives the confirmation its operation asked for: it may take over an awaiting_confirmation record. */
  confirming: boolean;
};

const t = idempotencyKeys;

/**
 * Inserts the record in_progress with a lease, or else takes over one that is
 * expired, or has this fingerprint and is failed, in_progress with a lapsed
 * lease, or awaiting confirmation while this request confirms. The unique index
 * decides between concurrent inserters; the row lock and the re-checked WHERE
 * of the takeover's UPDATE between concurrent takers. null: nothing claimable.
 *
 * Two statements, the second only when the first found the key taken: a new
 * key (the common case) costs one plain INSERT, which plans in a fraction of
 * the time the INSERT-and-UPDATE statement did. A record that changes between
 * the two is re-checked by the UPDATE's WHERE, and one purged in between is
 * claimed on the caller's next round.
 *
 * Not an upsert on purpose: ON CONFLICT DO UPDATE locks the conflicting row even
 * when its WHERE is false, so every replay would write (a lock, an xid, a WAL
 * flush at commit) and replays of one key would queue on that lock. Here a
 * record that cannot be claimed is only read.
 *
 * Both commit with synchronous_commit off: a claim needs no flush of its own,
 * because the WAL is flushed in order, so the operation's commit (which waits)
 * makes the claim durable too, and a claim lost in a crash left no effect.
 */
export async function claim(db: Database, input: ClaimInput): Promise<Claim | null> {
  const lease = sql`now() + make_interval(secs => ${input.leaseSeconds})`;
  const expires = sql`now() + interval '${sql.raw(UNFINISHED_RETENTION)}'`;
  const body = JSON.stringify(input.requestBody ?? null);
  const principal = principalScope(input.principal);
  const inserted = await db.execute<{ id: string; attempt: number }>(sql`
    with async_commit as (select set_config('synchronous_commit', 'off', true))
    insert into ${t} (principal, user_id, route, key, request_hash, request_body, status, attempt, locked_until, expires_at)
    select ${principal}, ${principalUserId(input.principal)}::uuid, ${input.route}, ${input.key}, ${input.requestHash}, ${body}::jsonb, 'in_progress', 1, ${lease}, ${expires}
    from async_commit
    on conflict (principal, route, key) do nothing
    returning id, attempt
  `);
  const fresh = inserted.rows[0];
  if (fresh) return { id: fresh.id, attempt: fresh.attempt, previousStatus: null };

  const taken = await db.execute<{ id: string; attempt: number; previous_status: IdempotencyStatus | null }>(sql`
    with async_commit as (select set_config('synchronous_commit', 'off', true))
    update ${t} set
      -- An expired record is as good as purged: reusing its key starts a new
      -- record (new id; ledger rows of the old one are unlinked, as a purge would).
      id = case when expires_at <= now() then gen_random_uuid() else id end,
      previous_status = status,
      status = 'in_progress',
      attempt = attempt + 1,
      request_hash = ${input.requestHash},
      request_body = ${body}::jsonb,
      locked_until = ${lease},
      response_status = null,
      response_body = null,
      response_headers = null,
      response_stored = true,
      resource_type = null,
      resource_id = null,
      completed_at = null,
      created_at = case when expires_at <= now() then now() else created_at end,
      updated_at = now(),
      expires_at = ${expires}
    from async_commit
    where principal = ${principal} and route = ${input.route} and key = ${input.key}
      and (expires_at <= now() or (
        request_hash = ${input.requestHash} and (
          status = 'failed'
          or (status = 'in_progress' and locked_until <= now())
          or (status = 'awaiting_confirmation' and ${input.confirming})
        )
      ))
    returning id, attempt, previous_status
  `);
  const row = taken.rows[0];
  return row ? { id: row.id, attempt: row.attempt, previousStatus: row.previous_status } : null;
}

export type ExistingRecord = {
  id: string;
  status: IdempotencyStatus;
  requestHash: string;
  requestBody: { params: Record<string, string>; body: unknown } | null;
  responseStatus: number | null;
  responseBody: unknown;
  responseHeaders: Record<string, string> | null;
  responseStored: boolean;
  /** Bytes of the stored response body as the database keeps it (for the replay cache's budget). */
  responseBytes: number;
  expiresAt: Date;
  expired: boolean;
  /** Whole seconds left on the lease, at least 1. */
  retryAfterSeconds: number;
};

export type RecordOutcome = {
  status: IdempotencyStatus;
  responseStatus: number | null;
  resource: { type: string; id: string } | null;
  expiresAt: Date;
};

/** What became of an attempt, for a caller that lost its answer; null when there is no live record. */
export async function findOutcome(db: Database, scope: Scope): Promise<RecordOutcome | null> {
  const rows = await db
    .select({
      status: t.status,
      responseStatus: t.responseStatus,
      resourceType: t.resourceType,
      resourceId: t.resourceId,
      expiresAt: t.expiresAt,
    })
    .from(t)
    .where(
      and(
        eq(t.principal, principalScope(scope.principal)),
        eq(t.route, scope.route),
        eq(t.key, scope.key),
        sql`${t.expiresAt} > now()`,
      ),
    )
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  const resource = row.resourceType && row.resourceId ? { type: row.resourceType, id: row.resourceId } : null;
  return { status: row.status, responseStatus: row.responseStatus, resource, expiresAt: row.expiresAt };
}

export async function findRecord(db: Database, scope: Scope): Promise<ExistingRecord | null> {
  const rows = await db
    .select({
      id: t.id,
      status: t.status,
      requestHash: t.requestHash,
      requestBody: t.requestBody,
      responseStatus: t.responseStatus,
      responseBody: t.responseBody,
      responseHeaders: t.responseHeaders,
      responseStored: t.responseStored,
      responseBytes: sql<number>`coalesce(pg_column_size(${t.responseBody}), 0)::int`,
      expiresAt: t.expiresAt,
      expired: sql<boolean>`${t.expiresAt} <= now()`,
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from (coalesce(${t.lockedUntil}, now()) - now()))))::int`,
    })
    .from(t)
    .where(and(eq(t.principal, principalScope(scope.principal)), eq(t.route, scope.route), eq(t.key, scope.key)))
    .limit(1);
  return rows[0] ?? null;
}

export type Completion = {
  status: number;
  /** The body's JSON text; null when there is none or it was over the limit (see `stored`). */
  bodyJson: string | null;
  headers: Record<string, string>;
  /** false: the body was over the limit and only a marker is kept. */
  stored: boolean;
  resourceType?: string;
  resourceId?: string;
};

/** SQLSTATE raised by public.idempotency_assert_lease_held when a completion finds its attempt superseded. */
const LEASE_LOST_SQLSTATE = 'IK409';

export function isLeaseLost(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === LEASE_LOST_SQLSTATE;
}

/**
 * The statement that completes the record, sent with the operation's COMMIT
 * in one round trip (lib/db/transaction.ts), so values are inlined as
 * literals. Guarded by attempt: if a successor took the record over, it
 * updates nothing and raises, the COMMIT is skipped and every effect of the
 * transaction rolls back. Its one row holds the record's new expires_at.
 */
export function completionStatement(literal: Literal, claimed: Claim, result: Completion): string {
  const json = (text: string | null) => (text === null ? 'null' : `${literal(text)}::jsonb`);
  return `
    with done as (
      update public.idempotency_keys set
        status = 'completed',
        response_status = ${literal(result.status)},
        response_body = ${json(result.stored ? result.bodyJson : null)},
        response_headers = ${json(JSON.stringify(result.headers))},
        response_stored = ${literal(result.stored)},
        resource_type = ${literal(result.resourceType ?? null)},
        resource_id = ${literal(result.resourceId ?? null)}::uuid,
        locked_until = null,
        completed_at = now(),
        updated_at = now(),
        expires_at = now() + interval '${COMPLETED_RETENTION}'
      where id = ${literal(claimed.id)}::uuid and attempt = ${literal(claimed.attempt)}
      returning expires_at
    )
    select public.idempotency_assert_lease_held(exists (select 1 from done)) as held,
      (select expires_at from done) as expires_at`;
}

/**
 * Leaves the record failed (retryable) or awaiting_confirmation (the stored 402
 * is replayed until a confirming request takes it over). Guarded by attempt.
 */
export async function settle(
  db: Database,
  claimed: Claim,
  status: 'failed' | 'awaiting_confirmation',
  response: StoredResponse | null,
): Promise<boolean> {
  const rows = await db
    .update(t)
    .set({
      status,
      responseStatus: response?.status ?? null,
      responseBody: response?.body ?? null,
      responseHeaders: response?.headers ?? null,
      lockedUntil: null,
      updatedAt: sql`now()`,
      expiresAt: sql`now() + interval '${sql.raw(UNFINISHED_RETENTION)}'`,
    })
    .where(and(eq(t.id, claimed.id), eq(t.attempt, claimed.attempt)))
    .returning({ id: t.id });
  return rows.length === 1;
}

/** Runs the SQL purge function once; returns how many expired records it removed. */
export async function purgeExpired(db: Database = getDb(), batchSize = 1000): Promise<number> {
  const result = await db.execute<{ removed: number }>(
    sql`select public.purge_expired_idempotency_keys(${batchSize}::int)::int as removed`,
  );
  return result.rows[0]?.removed ?? 0;
}
