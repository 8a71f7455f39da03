// Writing webhook messages: one delivery row per subscribed, enabled
// endpoint of the organiser, in the caller's transaction (the change's), so
// a rolled-back change sends nothing and a replayed request (answered from
// its idempotency record) writes nothing new. Every row of one change shares
// its `webhook-id`; the worker is woken once the transaction commits.
//
//   await emitWebhook(tx, { teamId: event.teamId, type: 'registration.created', data: { registration } });
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import type { WebhookEventType } from '@/lib/enums';
import { webhookDeliveries, webhookEndpoints } from '@/lib/db/schema';
import { afterCommit, writeWithCommit } from '@/lib/db/transaction';
import { wakeWebhooks } from '@/lib/jobs/wake';

/** `msg_` + 16 random bytes: the Standard Webhooks message id, the same for every attempt. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

export type WebhookMessage = {
  /** The organiser whose endpoints receive it. */
  teamId: string;
  type: WebhookEventType;
  /** The resource as the organiser's API shows it: `{ registration }`, `{ event }`, `{ order }`, `{ scan }`. */
  data: Record<string, unknown>;
};

/** The body every attempt sends: `{ type, timestamp, data }`, frozen at the change. */
export function messageBody(type: string, data: Record<string, unknown>, at = new Date()): Record<string, unknown> {
  return { type, timestamp: at.toISOString(), data };
}

/**
 * One INSERT … SELECT: as many rows as endpoints subscribed, none when there
 * are none. Sent with the COMMIT where the transaction allows it (most changes
 * hold their event's lock until then, and most organisers have no endpoint);
 * the worker is woken only when rows were written.
 */
export async function emitWebhook(tx: Tx, { teamId, type, data }: WebhookMessage): Promise<void> {
  const payload = JSON.stringify(messageBody(type, data));
  await writeWithCommit(
    tx,
    sql`
    insert into ${webhookDeliveries} (endpoint_id, message_id, type, payload)
    select e.id, ${newMessageId()}, ${type}, ${payload}::jsonb
    from ${webhookEndpoints} e
    where e.team_id = ${teamId} and e.status = 'enabled' and ${type} = any(e.events)`,
    (written) => {
      if (written > 0) afterCommit(tx, wakeWebhooks);
    },
  );
}

/**
 * Whether any enabled endpoint of the organiser listens for `type`: asked
 * before building a payload that costs reads (and before taking a lock), so a
 * change nobody listens to builds nothing. An endpoint added after this
 * answer and before the change commits hears of the next change, as one added
 * just after the commit would.
 */
export async function listensTo(db: Queryable, teamId: string, type: WebhookEventType): Promise<boolean> {
  const rows = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.teamId, teamId), eq(webhookEndpoints.status, 'enabled'), sql`${type} = any(${webhookEndpoints.events})`))
    .limit(1);
  return rows.length > 0;
}
