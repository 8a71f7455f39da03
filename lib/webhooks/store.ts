// The webhook deliveries' SQL, the same way as lib/outbox/store.ts: a claim
// with FOR UPDATE SKIP LOCKED and a lease in one autocommit statement,
// finishing fenced by the claim, retention. No session state, so it works on
// PGlite, plain Postgres and through a transaction-mode pooler alike.
// What is new here: at most `perEndpoint` deliveries of one endpoint are in
// flight at once, whichever worker holds them, so a slow or dead receiver
// holds a few slots and every other endpoint's deliveries go on.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { WEBHOOK_DELIVERY_TYPES } from '@/lib/enums';
import { webhookDeliveries, webhookEndpoints } from '@/lib/db/schema';
import { z } from '@/lib/zod';

export type ClaimedDelivery = {
  id: string;
  endpointId: string;
  messageId: string;
  type: (typeof WEBHOOK_DELIVERY_TYPES)[number];
  payload: Record<string, unknown>;
  attempts: number;
  claimedBy: string;
  url: string;
  secret: string;
};

const claimedRow = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  message_id: z.string(),
  type: z.enum(WEBHOOK_DELIVERY_TYPES),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.coerce.number(),
  claimed_by: z.string(),
  url: z.string(),
  secret: z.string(),
});

const interval = (ms: number) => sql`${`${Math.round(ms)} milliseconds`}::interval`;

/**
 * Takes up to `limit` due deliveries of enabled endpoints for `workerId`,
 * oldest due first, no endpoint over `perEndpoint` in flight (counting those
 * other workers hold under a live lease): status sending, attempts + 1,
 * lease until now + leaseMs.
 */
export async function claimDueDeliveries(
  db: Queryable,
  { workerId, limit, leaseMs, perEndpoint }: { workerId: string; limit: number; leaseMs: number; perEndpoint: number },
): Promise<ClaimedDelivery[]> {
  if (limit <= 0) return [];
  const lease = sql`now() + ${interval(leaseMs)}`;
  const result = await db.execute(sql`
    with busy as (
      select endpoint_id, count(*) as n from ${webhookDeliveries}
      where status = 'sending' and lease_until > now()
      group by endpoint_id
    ), ranked as (
      select w.id, w.next_attempt_at,
             row_number() over (partition by w.endpoint_id order by w.next_attempt_at, w.id) + coalesce(b.n, 0) as slot
      from ${webhookDeliveries} w
      join ${webhookEndpoints} e on e.id = w.endpoint_id and e.status = 'enabled'
      left join busy b on b.endpoint_id = w.endpoint_id
      where w.status in ('pending', 'sending') and w.next_attempt_at <= now()
    )
    update ${webhookDeliveries} d
    set status = 'sending', attempts = d.attempts + 1, claimed_by = ${workerId},
        lease_until = ${lease}, next_attempt_at = ${lease}, updated_at = now()
    from ${webhookEndpoints} e
    where e.id = d.endpoint_id and d.id in (
      select x.id from ${webhookDeliveries} x
      where x.id in (select id from ranked where slot <= ${perEndpoint} order by next_attempt_at limit ${limit})
        and x.status in ('pending', 'sending') and x.next_attempt_at <= now()
      for update of x skip locked
    )
    returning d.id, d.endpoint_id, d.message_id, d.type, d.payload, d.attempts, d.claimed_by, e.url, e.secret`);
  return result.rows.map((raw) => {
    const r = claimedRow.parse(raw);
    return {
      id: r.id,
      endpointId: r.endpoint_id,
      messageId: r.message_id,
      type: r.type,
      payload: r.payload,
      attempts: r.attempts,
      claimedBy: r.claimed_by,
      url: r.url,
      secret: r.secret,
    };
  });
}

const fence = (row: ClaimedDelivery) =>
  sql`id = ${row.id} and claimed_by = ${row.claimedBy} and attempts = ${row.attempts} and status = 'sending'`;

/** The receiver answered 2xx. False when the lease lapsed and another worker took the row meanwhile. */
export async function markDelivered(db: Queryable, row: ClaimedDelivery, statusCode: number): Promise<boolean> {
  const result = await db.execute(sql`
    update ${webhookDeliveries}
    set status = 'delivered', delivered_at = now(), last_status_code = ${statusCode}, last_error = null,
        lease_until = null, updated_at = now()
    where ${fence(row)}`);
  return (result.rowCount ?? 0) > 0;
}

/** A failed attempt: pending again after `retryInMs`, or `failed` for good when that is null. */
export async function markAttemptFailed(
  db: Queryable,
  row: ClaimedDelivery,
  { statusCode, error, retryInMs }: { statusCode: number | null; error: string; retryInMs: number | null },
): Promise<boolean> {
  const result = await db.execute(sql`
    update ${webhookDeliveries}
    set status = ${retryInMs === null ? 'failed' : 'pending'}, last_status_code = ${statusCode}, last_error = ${error.slice(0, 500)},
        lease_until = null, next_attempt_at = now() + ${interval(retryInMs ?? 0)}, updated_at = now()
    where ${fence(row)}`);
  return (result.rowCount ?? 0) > 0;
}

/** 410 Gone: this delivery failed for good and the endpoint is disabled (its other deliveries wait, unclaimed). */
export async function markGone(db: Queryable, row: ClaimedDelivery): Promise<boolean> {
  const result = await db.execute(sql`
    with d as (
      update ${webhookDeliveries}
      set status = 'failed', last_status_code = 410, last_error = 'the receiver answered 410 Gone: endpoint disabled',
          lease_until = null, updated_at = now()
      where ${fence(row)}
      returning endpoint_id
    )
    update ${webhookEndpoints} set status = 'disabled', disabled_at = now()
    where id in (select endpoint_id from d) and status = 'enabled'`);
  return (result.rowCount ?? 0) > 0;
}

/** Retention: delivered and failed deliveries older than `days` go. Returns how many were removed. */
export async function purgeFinishedDeliveries(db: Queryable, days: number): Promise<number> {
  const result = await db.execute(sql`
    delete from ${webhookDeliveries}
    where status in ('delivered', 'failed') and updated_at < now() - make_interval(days => ${days})`);
  return result.rowCount ?? 0;
}

export type WebhookFigures = { depth: number; oldestPendingAgeSeconds: number; failed: number; disabledEndpoints: number };

/** For the metrics scrape: undelivered deliveries of enabled endpoints and the age of the oldest, failed ones kept, endpoints disabled by a 410. */
export async function webhookFigures(db: Queryable): Promise<WebhookFigures> {
  const result = await db.execute<{ depth: number | string; oldest: number | string | null; failed: number | string; disabled: number | string }>(sql`
    select
      (select count(*) from ${webhookDeliveries} d join ${webhookEndpoints} e on e.id = d.endpoint_id and e.status = 'enabled'
        where d.status in ('pending', 'sending')) as depth,
      (select extract(epoch from now() - min(d.created_at)) from ${webhookDeliveries} d join ${webhookEndpoints} e on e.id = d.endpoint_id and e.status = 'enabled'
        where d.status in ('pending', 'sending')) as oldest,
      (select count(*) from ${webhookDeliveries} where status = 'failed') as failed,
      (select count(*) from ${webhookEndpoints} where status = 'disabled') as disabled`);
  const row = result.rows[0];
  return {
    depth: Number(row?.depth ?? 0),
    oldestPendingAgeSeconds: Number(row?.oldest ?? 0),
    failed: Number(row?.failed ?? 0),
    disabledEndpoints: Number(row?.disabled ?? 0),
  };
}
