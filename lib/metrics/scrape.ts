// What a scrape reads from the database: values every instance sees alike,
// because they live in Postgres, not in one process's memory.
import { Counter, Gauge, Registry } from 'prom-client';
import { sql } from 'drizzle-orm';
import { getDb, type Queryable } from '@/lib/db/pool';
import { creditLedger, idempotencyKeys } from '@/lib/db/schema';
import { describeError, logLine } from '@/lib/log';
import { outboxFigures, type OutboxFigures } from '@/lib/outbox/store';
import { webhookFigures, type WebhookFigures } from '@/lib/webhooks/store';
import { installMetrics, METRIC_PREFIX } from './registry';

export type DatabaseFigures = { creditsSpent: number; stuckInProgress: number; outbox: OutboxFigures; webhooks: WebhookFigures };

/** One round trip: credits spent (ledger debits, only what committed) and records past their lease. */
async function readDatabaseFigures(db: Queryable): Promise<DatabaseFigures> {
  const rows = await db.execute<{ credits_spent: number | string; stuck: number | string }>(sql`
    select
      (select coalesce(sum(-${creditLedger.delta}), 0) from ${creditLedger} where ${creditLedger.delta} < 0) as credits_spent,
      (select count(*) from ${idempotencyKeys}
        where ${idempotencyKeys.status} = 'in_progress' and ${idempotencyKeys.lockedUntil} <= now()) as stuck
  `);
  const row = rows.rows[0];
  const outbox = await outboxFigures(db);
  const webhooks = await webhookFigures(db);
  return { creditsSpent: Number(row?.credits_spent ?? 0), stuckInProgress: Number(row?.stuck ?? 0), outbox, webhooks };
}

/**
 * A registry for this scrape only. When the database does not answer, the
 * database-derived series are left out (not reported as 0) and
 * database_up says so; the process metrics are still served.
 */
function databaseRegistry(figures: DatabaseFigures | null): Registry {
  const registry = new Registry();
  const up = new Gauge({
    name: `${METRIC_PREFIX}metrics_database_up`,
    help: '1 when the scrape could read the database-derived metrics, else 0.',
    registers: [registry],
  });
  up.set(figures ? 1 : 0);
  if (!figures) return registry;
  // A true counter: the ledger is append-only, so the sum of its debits only grows; and
  // reading it from the ledger counts only spends that committed (never a rolled-back one).
  new Counter({
    name: `${METRIC_PREFIX}credits_spent_total`,
    help: 'Credits spent by all instances: the sum of committed debits in the credit ledger.',
    registers: [registry],
  }).inc(figures.creditsSpent);
  new Gauge({
    name: `${METRIC_PREFIX}idempotency_stuck_in_progress`,
    help: 'Idempotency records still in_progress after their lease lapsed (a crashed or killed instance).',
    registers: [registry],
  }).set(figures.stuckInProgress);
  new Gauge({
    name: `${METRIC_PREFIX}outbox_depth`,
    help: 'Outbox messages not delivered yet (pending or being sent), all instances.',
    registers: [registry],
  }).set(figures.outbox.depth);
  new Gauge({
    name: `${METRIC_PREFIX}outbox_oldest_pending_age_seconds`,
    help: 'Age of the oldest undelivered outbox message (0 when none).',
    registers: [registry],
  }).set(figures.outbox.oldestPendingAgeSeconds);
  new Gauge({
    name: `${METRIC_PREFIX}outbox_failed`,
    help: 'Outbox messages given up after their last attempt and still kept (status failed).',
    registers: [registry],
  }).set(figures.outbox.failed);
  // Webhooks: the same figures for the webhooks' outbox, and endpoints a 410 disabled.
  new Gauge({
    name: `${METRIC_PREFIX}webhook_depth`,
    help: 'Webhook deliveries not delivered yet (pending or being sent) to enabled endpoints, all instances.',
    registers: [registry],
  }).set(figures.webhooks.depth);
  new Gauge({
    name: `${METRIC_PREFIX}webhook_oldest_pending_age_seconds`,
    help: 'Age of the oldest undelivered webhook delivery of an enabled endpoint (0 when none).',
    registers: [registry],
  }).set(figures.webhooks.oldestPendingAgeSeconds);
  new Gauge({
    name: `${METRIC_PREFIX}webhook_failed`,
    help: 'Webhook deliveries given up after their last attempt (or answered 410) and still kept.',
    registers: [registry],
  }).set(figures.webhooks.failed);
  new Gauge({
    name: `${METRIC_PREFIX}webhook_endpoints_disabled`,
    help: 'Webhook endpoints disabled because their receiver answered 410 Gone.',
    registers: [registry],
  }).set(figures.webhooks.disabledEndpoints);
  return registry;
}

/** The whole scrape: the process's metrics and, when the database answers, its figures. */
export async function renderMetrics(): Promise<{ text: string; contentType: string }> {
  const metrics = installMetrics();
  let figures: DatabaseFigures | null = null;
  try {
    figures = await readDatabaseFigures(getDb());
  } catch (error) {
    // The process metrics matter most exactly when the database is down.
    logLine('warn', 'metrics.database_unavailable', { cause: describeError(error).message });
  }
  const merged = Registry.merge([metrics.registry, databaseRegistry(figures)]);
  return { text: await merged.metrics(), contentType: merged.contentType };
}
