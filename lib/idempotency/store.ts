// The SQL of the idempotency layer. Each function is one statement; the
// algorithm that combines them is in with-idempotency.ts.
import { and, eq, sql } from 'drizzle-orm';
import { getDb, type Database } from '@/lib/db/pool';
import type { Literal, Row } from '@/lib/db/transaction';
import { IDEMPOTENCY_STATUSES } from '@/lib/enums';
import { idempotencyKeys, type IdempotencyStatus } from '@/lib/db/schema';
import { claimableSql, RECORD_FACTS } from './claim-rule';
import { type Principal, principalScope, principalUserId } from './principal';
import type { StoredResponse } from './types';

const COMPLETED_RETENTION = '7 days';
const UNFINISHED_RETENTION = '1 day';
const UNFINISHED_RETENTION_MS = 24 * 60 * 60 * 1000;

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
      and ${claimableSql({ requestHash: input.requestHash, confirming: input.confirming })}
    returning id, attempt, previous_status
  `);
  const row = taken.rows[0];
  return row ? { id: row.id, attempt: row.attempt, previousStatus: row.previous_status } : null;
}

export type ExistingRecord = {
  id: string;
  status: IdempotencyStatus;
  attempt: number;
  requestHash: string;
  requestBody: { params: Record<string, string>; body: unknown } | null;
  responseStatus: number | null;
  responseBody: unknown;
  responseHeaders: Record<string, string> | null;
  responseStored: boolean;
  /** Bytes of the stored response body as the database keeps it (for the replay cache's budget). */
  responseBytes: number;
  expiresAt: Date;
  /** Counts as absent (claim-rule.ts, RECORD_FACTS). */
  expired: boolean;
  /** Whole seconds left on the lease, at least 1. */
  retryAfterSeconds: number;
  /** Its lease (if any) has lapsed (claim-rule.ts, RECORD_FACTS). */
  leaseLapsed: boolean;
};

/** The text whose 64-bit hash is the scope's advisory lock key. */
function scopeLockText(scope: Scope): string {
  return `${principalScope(scope.principal)}\n${scope.route}\n${scope.key}`;
}

/**
 * Whether a one-transaction attempt holds the scope's lock right now (it has
 * no record until it commits). Tried and let go at once; a first execution
 * that meets this instant gets a 409 and retries.
 */
async function heldElsewhere(db: Database, scope: Scope): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ locked: boolean }>(
      sql`select pg_try_advisory_xact_lock(hashtextextended(${scopeLockText(scope)}, 0)) as locked`,
    );
    return rows.rows[0]?.locked !== true;
  });
}

/** When an attempt that is not finished would expire, as its record would say. */
function unfinishedExpiry(): Date {
  return new Date(Date.now() + UNFINISHED_RETENTION_MS);
}

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
  if (!row) return (await heldElsewhere(db, scope)) ? { status: 'in_progress', responseStatus: null, resource: null, expiresAt: unfinishedExpiry() } : null;
  const resource = row.resourceType && row.resourceId ? { type: row.resourceType, id: row.resourceId } : null;
  return { status: row.status, responseStatus: row.responseStatus, resource, expiresAt: row.expiresAt };
}

export async function findRecord(db: Database, scope: Scope): Promise<ExistingRecord | null> {
  const rows = await db
    .select({
      id: t.id,
      status: t.status,
      attempt: t.attempt,
      requestHash: t.requestHash,
      requestBody: t.requestBody,
      responseStatus: t.responseStatus,
      responseBody: t.responseBody,
      responseHeaders: t.responseHeaders,
      responseStored: t.responseStored,
      responseBytes: sql<number>`coalesce(pg_column_size(${t.responseBody}), 0)::int`,
      expiresAt: t.expiresAt,
      expired: sql<boolean>`${sql.raw(RECORD_FACTS.expired(''))}`,
      retryAfterSeconds: sql<number>`greatest(1, ceil(extract(epoch from (coalesce(${t.lockedUntil}, now()) - now()))))::int`,
      leaseLapsed: sql<boolean>`${sql.raw(RECORD_FACTS.leaseLapsed(''))}`,
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

/** The response columns of a completed record, as SQL literals. */
function responseColumns(literal: Literal, result: Completion) {
  const json = (text: string | null) => (text === null ? 'null' : `${literal(text)}::jsonb`);
  return {
    response_status: literal(result.status),
    response_body: json(result.stored ? result.bodyJson : null),
    response_headers: json(JSON.stringify(result.headers)),
    response_stored: literal(result.stored),
    resource_type: literal(result.resourceType ?? null),
    resource_id: `${literal(result.resourceId ?? null)}::uuid`,
  };
}

const assignments = (columns: Record<string, string>) =>
  Object.entries(columns)
    .map(([column, value]) => `${column} = ${value}`)
    .join(',\n        ');

/**
 * The statement that completes the record, sent with the operation's COMMIT
 * in one round trip (lib/db/transaction.ts), so values are inlined as
 * literals. Guarded by attempt: if a successor took the record over, it
 * updates nothing and raises, the COMMIT is skipped and every effect of the
 * transaction rolls back. Its one row holds the record's new expires_at.
 */
export function completionStatement(literal: Literal, claimed: Claim, result: Completion): string {
  return `
    with done as (
      update public.idempotency_keys set
        status = 'completed',
        ${assignments(responseColumns(literal, result))},
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

// ---- the one-transaction path ------------------------------------------
//
// A first execution takes the key with a transaction-scoped advisory lock in
// the operation's own transaction and writes its record once, completed, in
// that transaction: one commit, one record write, no lease. A killed holder's
// lock goes with its connection's transaction.

export type Request = Scope & {
  requestHash: string;
  requestBody: { params: Record<string, string>; body: unknown };
  /** The request gives the confirmation its operation asked for (the claim rule reads it). */
  confirming: boolean;
};

/** The record's row as the opening statements read it, plus whether this transaction holds the key's lock. */
export type LockedRead = { locked: boolean; record: ExistingRecord | null };

const scopeLiterals = (literal: Literal, scope: Scope) => ({
  principal: literal(principalScope(scope.principal)),
  route: literal(scope.route),
  key: `${literal(scope.key)}::uuid`,
});

/**
 * Sent with BEGIN: try the key's advisory lock (never waits), then read its
 * record. Two statements, so the read's snapshot is taken after the lock was
 * granted and sees any holder's committed record. The lock's key is a 64-bit
 * hash of the scope; a collision only makes one request answer 409 and retry.
 */
export function lockAndReadStatements(literal: Literal, scope: Scope): string {
  const { principal, route, key } = scopeLiterals(literal, scope);
  return `
    select pg_try_advisory_xact_lock(hashtextextended(${literal(scopeLockText(scope))}, 0)) as locked;
    select id, status, attempt, request_hash, request_body, response_status, response_body, response_headers,
      response_stored, coalesce(pg_column_size(response_body), 0)::int as response_bytes, expires_at,
      ${RECORD_FACTS.expired('')} as expired,
      greatest(1, ceil(extract(epoch from (coalesce(locked_until, now()) - now()))))::int as retry_after_seconds,
      ${RECORD_FACTS.leaseLapsed('')} as lease_lapsed
    from public.idempotency_keys
    where principal = ${principal} and route = ${route} and key = ${key}`;
}

export function parseLockedRead(opened: Row[][]): LockedRead {
  const locked = opened[0]?.[0]?.locked === true;
  const row = opened[1]?.[0];
  return { locked, record: row ? existingRecordOf(row) : null };
}

/**
 * The statement that writes the record once, completed, sent with COMMIT:
 * an INSERT for a new key (the unique index refuses a second record, which
 * rolls this transaction back), or, over a record this request may claim, an
 * UPDATE guarded by the attempt it read. Its one row holds expires_at.
 */
export function oneTransactionCompletion(
  literal: Literal,
  request: Request,
  claimed: Claim,
  over: ExistingRecord | null,
  result: Completion,
): string {
  const { principal, route, key } = scopeLiterals(literal, request);
  const response = responseColumns(literal, result);
  const requestColumns = {
    request_hash: literal(request.requestHash),
    request_body: `${literal(JSON.stringify(request.requestBody ?? null))}::jsonb`,
  };
  if (!over) {
    const columns: Record<string, string> = {
      id: `${literal(claimed.id)}::uuid`,
      principal,
      user_id: `${literal(principalUserId(request.principal))}::uuid`,
      route,
      key,
      ...requestColumns,
      status: `'completed'`,
      attempt: literal(claimed.attempt),
      ...response,
      completed_at: 'now()',
      expires_at: `now() + interval '${COMPLETED_RETENTION}'`,
    };
    return `
    insert into public.idempotency_keys (${Object.keys(columns).join(', ')})
    values (${Object.values(columns).join(', ')})
    returning expires_at`;
  }
  return `
    with done as (
      update public.idempotency_keys set
        id = ${literal(claimed.id)}::uuid,
        previous_status = status,
        status = 'completed',
        attempt = ${literal(claimed.attempt)},
        ${assignments(requestColumns)},
        ${assignments(response)},
        locked_until = null,
        completed_at = now(),
        created_at = case when expires_at <= now() then now() else created_at end,
        updated_at = now(),
        expires_at = now() + interval '${COMPLETED_RETENTION}'
      where id = ${literal(over.id)}::uuid and attempt = ${literal(over.attempt)}
      returning expires_at
    )
    select public.idempotency_assert_lease_held(exists (select 1 from done)) as held,
      (select expires_at from done) as expires_at`;
}

/**
 * After a one-transaction attempt rolled back: leaves the record failed
 * (retryable, and a retry with another body is told apart) or awaiting
 * confirmation with its answer. Inserts it, or updates one this request may
 * claim (claim-rule.ts); so never a completed record (a duplicate may have
 * finished since the rollback), one held under a live lease, or one awaiting a
 * confirmation this request does not give. false: left alone.
 */
export async function recordUnfinished(
  db: Database,
  request: Request,
  status: 'failed' | 'awaiting_confirmation',
  response: StoredResponse | null,
): Promise<boolean> {
  const principal = principalScope(request.principal);
  const expires = sql`now() + interval '${sql.raw(UNFINISHED_RETENTION)}'`;
  const json = (value: unknown) => (value === null || value === undefined ? sql`null` : sql`${JSON.stringify(value)}::jsonb`);
  const rows = await db.execute<{ id: string }>(sql`
    insert into ${t} as r (principal, user_id, route, key, request_hash, request_body, status, attempt,
      response_status, response_body, response_headers, expires_at)
    values (${principal}, ${principalUserId(request.principal)}::uuid, ${request.route}, ${request.key}, ${request.requestHash},
      ${JSON.stringify(request.requestBody ?? null)}::jsonb, ${status}, 1,
      ${response?.status ?? null}, ${json(response?.body ?? null)}, ${json(response?.headers ?? null)}, ${expires})
    on conflict (principal, route, key) do update set
      id = case when r.expires_at <= now() then gen_random_uuid() else r.id end,
      previous_status = r.status,
      status = excluded.status,
      attempt = r.attempt + 1,
      request_hash = excluded.request_hash,
      request_body = excluded.request_body,
      response_status = excluded.response_status,
      response_body = excluded.response_body,
      response_headers = excluded.response_headers,
      response_stored = true,
      resource_type = null,
      resource_id = null,
      locked_until = null,
      completed_at = null,
      created_at = case when r.expires_at <= now() then now() else r.created_at end,
      updated_at = now(),
      expires_at = excluded.expires_at
    where ${claimableSql({ row: 'r.', requestHash: sql.raw('excluded.request_hash'), confirming: request.confirming })}
    returning r.id
  `);
  return rows.rows.length === 1;
}

/** A raw row of idempotency_keys (pg's own parsing of its types) as an ExistingRecord. */
function existingRecordOf(row: Row): ExistingRecord {
  const text = (name: string): string => {
    const value = row[name];
    if (typeof value !== 'string') throw new Error(`idempotency record: ${name} is not text`);
    return value;
  };
  const int = (name: string): number => {
    const value = row[name];
    if (typeof value !== 'number') throw new Error(`idempotency record: ${name} is not an integer`);
    return value;
  };
  const expiresAt = row.expires_at;
  if (!(expiresAt instanceof Date)) throw new Error('idempotency record: expires_at is not a timestamp');
  const responseStatus = row.response_status;
  return {
    id: text('id'),
    status: statusOf(text('status')),
    attempt: int('attempt'),
    requestHash: text('request_hash'),
    requestBody: requestBodyOf(row.request_body),
    responseStatus: typeof responseStatus === 'number' ? responseStatus : null,
    responseBody: row.response_body ?? null,
    responseHeaders: headersOf(row.response_headers),
    responseStored: row.response_stored === true,
    responseBytes: int('response_bytes'),
    expiresAt,
    expired: row.expired === true,
    retryAfterSeconds: int('retry_after_seconds'),
    leaseLapsed: row.lease_lapsed === true,
  };
}

function statusOf(value: string): IdempotencyStatus {
  const status = IDEMPOTENCY_STATUSES.find((s) => s === value);
  if (!status) throw new Error(`idempotency record: unknown status ${value}`);
  return status;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requestBodyOf(value: unknown): ExistingRecord['requestBody'] {
  if (!isObject(value) || !isObject(value.params)) return null;
  const params: Record<string, string> = {};
  for (const [name, param] of Object.entries(value.params)) if (typeof param === 'string') params[name] = param;
  return { params, body: value.body ?? null };
}

function headersOf(value: unknown): Record<string, string> | null {
  if (!isObject(value)) return null;
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(value)) if (typeof header === 'string') headers[name] = header;
  return headers;
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
