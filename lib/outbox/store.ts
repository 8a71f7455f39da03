// The outbox's SQL: claiming due rows with FOR UPDATE SKIP LOCKED and a lease,
// finishing them fenced by the claim, retention, and the figures for metrics.
// Every statement stands alone (autocommit): no session state, no LISTEN, no
// advisory locks, so it works on PGlite, plain Postgres and through a
// transaction-mode pooler alike.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { outboxMessages, type OutboxMessageRow } from '@/lib/db/schema';
import { outboxKindSchema, outboxLocaleSchema } from './payload';

/** A claimed row: `attempts` is this attempt's number and, with `claimedBy`, the fence for finishing it. */
export type Claimed = Pick<OutboxMessageRow, 'id' | 'kind' | 'recipient' | 'locale' | 'payload' | 'attempts' | 'claimedBy' | 'createdAt' | 'registrationId'>;

type ClaimedSql = {
  id: string;
  kind: string;
  recipient: string;
  locale: string;
  payload: Record<string, unknown>;
  attempts: number;
  claimed_by: string;
  created_at: string | Date;
  registration_id: string | null;
};

/**
 * Takes up to `limit` due rows (pending and due, or sending with a lapsed
 * lease) for `workerId`: status sending, attempts + 1, lease until now + leaseMs.
 * Rows another worker is claiming at this instant are skipped, never waited for.
 */
export async function claimDue(db: Queryable, workerId: string, limit: number, leaseMs: number): Promise<Claimed[]> {
  const lease = sql`now() + ${`${Math.round(leaseMs)} milliseconds`}::interval`;
  const result = await db.execute<ClaimedSql>(sql`
    update ${outboxMessages} m
    set status = 'sending', attempts = m.attempts + 1, claimed_by = ${workerId},
        lease_until = ${lease}, next_attempt_at = ${lease}, updated_at = now()
    where m.id in (
      select id from ${outboxMessages}
      where status in ('pending', 'sending') and next_attempt_at <= now()
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    )
    returning m.id, m.kind, m.recipient, m.locale, m.payload, m.attempts, m.claimed_by, m.created_at, m.registration_id`);
  return result.rows.map((r) => ({
    id: r.id,
    kind: outboxKindSchema.parse(r.kind),
    recipient: r.recipient,
    locale: outboxLocaleSchema.parse(r.locale),
    payload: r.payload,
    attempts: Number(r.attempts),
    claimedBy: r.claimed_by,
    createdAt: new Date(r.created_at),
    registrationId: r.registration_id,
  }));
}

/** The claim is still ours: same worker, same attempt, still sending. */
const fence = (row: Claimed) =>
  sql`id = ${row.id} and claimed_by = ${row.claimedBy} and attempts = ${row.attempts} and status = 'sending'`;

/** SMTP accepted it. False when the lease lapsed and another worker took the row meanwhile. */
export async function markSent(db: Queryable, row: Claimed): Promise<boolean> {
  const result = await db.execute(sql`
    update ${outboxMessages} set status = 'sent', sent_at = now(), lease_until = null, last_error = null, updated_at = now()
    where ${fence(row)}`);
  return (result.rowCount ?? 0) > 0;
}

/** A failed try: pending again after `retryInMs`, or `failed` for good when `giveUp`. */
export async function markFailed(db: Queryable, row: Claimed, error: string, next: { giveUp: boolean; retryInMs: number }): Promise<boolean> {
  const result = await db.execute(sql`
    update ${outboxMessages}
    set status = ${next.giveUp ? 'failed' : 'pending'}, last_error = ${error.slice(0, 2000)}, lease_until = null,
        next_attempt_at = now() + ${`${Math.round(next.retryInMs)} milliseconds`}::interval, updated_at = now()
    where ${fence(row)}`);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Retention: sent rows (their payload holds the manage link) go after
 * `sentDays`, failed ones after `failedDays`. Returns how many were removed.
 */
export async function purgeFinished(db: Queryable, { sentDays = 7, failedDays = 30 } = {}): Promise<number> {
  const result = await db.execute(sql`
    delete from ${outboxMessages}
    where (status = 'sent' and updated_at < now() - make_interval(days => ${sentDays}))
       or (status = 'failed' and updated_at < now() - make_interval(days => ${failedDays}))`);
  return result.rowCount ?? 0;
}

export type OutboxFigures = { depth: number; oldestPendingAgeSeconds: number; failed: number };

/** Depth (pending + sending), the age of the oldest of them, and the failed rows kept: two index scans. */
export async function outboxFigures(db: Queryable): Promise<OutboxFigures> {
  const result = await db.execute<{ depth: number | string; oldest: number | string | null; failed: number | string }>(sql`
    select d.depth, d.oldest, (select count(*) from ${outboxMessages} where status = 'failed') as failed
    from (
      select count(*) as depth, extract(epoch from now() - min(created_at)) as oldest
      from ${outboxMessages} where status in ('pending', 'sending')
    ) d`);
  const row = result.rows[0];
  return {
    depth: Number(row?.depth ?? 0),
    oldestPendingAgeSeconds: Number(row?.oldest ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}
