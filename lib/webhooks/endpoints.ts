// The webhook endpoint's owner (docs/ssot, "Owners"): creating (the URL
// checked before the transaction, lib/webhooks/address.ts), reading, deleting, disabling on 410, and
// the deliveries log with its retry and test message.
import { recordAudit, type AuditActor } from '@/lib/audit';
import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { apiKeys, webhookDeliveries, webhookEndpoints, type ApiKeyRow, type WebhookDeliveryRow, type WebhookEndpointRow } from '@/lib/db/schema';
import { afterCommit } from '@/lib/db/transaction';
import { AppError, invalidField } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { allowPrivateTargets } from './config';
import { resolveTarget, TargetRefused } from './address';
import { messageBody, newMessageId } from './emit';
import { WEBHOOK_TEST_TYPE, type WebhookDeliveryDto, type WebhookEndpointDto } from './schemas';
import { wakeWebhooks } from '@/lib/jobs/wake';

/** The deliveries log shows the newest this many. */
const LOG_LENGTH = 100;

type CreatorKey = Pick<ApiKeyRow, 'id' | 'name' | 'prefix'>;

export function toEndpointDto(row: WebhookEndpointRow, creatorKey: CreatorKey | null): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    status: row.status,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    createdBy: creatorKey ? { type: 'api_key', id: creatorKey.id, name: creatorKey.name, prefix: creatorKey.prefix } : { type: 'session' },
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDeliveryDto(row: WebhookDeliveryRow): WebhookDeliveryDto {
  const open = row.status === 'pending' || row.status === 'sending';
  return {
    id: row.id,
    messageId: row.messageId,
    type: row.type,
    attempts: row.attempts,
    status: row.status,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    nextAttemptAt: open ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** `whsec_` + base64 of 24 random bytes (Standard Webhooks' spelling). */
const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/**
 * The URL checked (its host resolved, every address public): 400 on `url`
 * otherwise. A DNS lookup may wait seconds, so the route runs it before its
 * transaction opens (the builder's `before()`), never holding a pooled
 * connection or a lock; createEndpoint takes the checked URL.
 */
export async function checkEndpointUrl(url: string): Promise<CheckedUrl> {
  try {
    await resolveTarget(url, allowPrivateTargets());
  } catch (error) {
    if (error instanceof TargetRefused) throw invalidField('url', error.problem);
    throw error;
  }
  return { url, checked: true };
}

/** An endpoint's URL as the audit log keeps it: no query or credentials (they may carry a receiver's token). */
function auditedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '';
  }
}

/** A URL that passed checkEndpointUrl: createEndpoint takes no other. */
export type CheckedUrl = { url: string; checked: true };

/** `apiKeyId`: the key the request was made with, recorded as the endpoint's creator; null for a browser session. */
export async function createEndpoint(
  tx: Tx,
  { teamId, target, events, apiKeyId, actor }: { teamId: string; target: CheckedUrl; events: WebhookEndpointRow['events']; apiKeyId: string | null; actor: AuditActor },
): Promise<{ endpoint: WebhookEndpointDto; secret: string }> {
  const url = target.url;
  const secret = newSecret();
  const [row] = await tx.insert(webhookEndpoints).values({ teamId, url, events, secret, createdByApiKeyId: apiKeyId }).returning();
  if (!row) throw new Error('insert into webhook_endpoints returned no row');
  await recordAudit(tx, { teamId, actor, action: 'webhook_endpoint.created', target: { type: 'webhook_endpoint', id: row.id }, details: { url: auditedUrl(row.url), events: row.events } });
  const [creatorKey] = apiKeyId
    ? await tx.select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.id, apiKeyId))
    : [];
  return { endpoint: toEndpointDto(row, creatorKey ?? null), secret };
}

export async function listEndpoints(db: Queryable, teamId: string): Promise<WebhookEndpointDto[]> {
  const rows = await db
    .select({ endpoint: webhookEndpoints, key: { id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix } })
    .from(webhookEndpoints)
    .leftJoin(apiKeys, eq(apiKeys.id, webhookEndpoints.createdByApiKeyId))
    .where(eq(webhookEndpoints.teamId, teamId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((row) => toEndpointDto(row.endpoint, row.key));
}

/** The organiser's endpoint, locked in `tx` when asked; another's or an unknown one is NOT_FOUND. */
async function ownEndpoint(db: Queryable, { id, teamId }: { id: string; teamId: string }, lock = false): Promise<WebhookEndpointRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.teamId, teamId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** Deletes the endpoint and its deliveries (cascade): nothing more is sent to it. */
export async function deleteEndpoint(tx: Tx, key: { id: string; teamId: string }, actor: AuditActor): Promise<void> {
  const row = await ownEndpoint(tx, key, true);
  await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
  await recordAudit(tx, { teamId: row.teamId, actor, action: 'webhook_endpoint.deleted', target: { type: 'webhook_endpoint', id: row.id }, details: { url: auditedUrl(row.url), events: row.events } });
}

export async function listDeliveries(db: Queryable, key: { id: string; teamId: string }): Promise<WebhookDeliveryDto[]> {
  const endpoint = await ownEndpoint(db, key);
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpoint.id))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(LOG_LENGTH);
  return rows.map(toDeliveryDto);
}

/**
 * Sends a delivery again now, with its message id (a retry of the same
 * message). One being sent is left as it is. The organiser asking for it on
 * an endpoint disabled by a 410 enables the endpoint again.
 */
export async function retryDelivery(tx: Tx, { id, teamId, deliveryId }: { id: string; teamId: string; deliveryId: string }): Promise<WebhookDeliveryDto> {
  const endpoint = await ownEndpoint(tx, { id, teamId }, true);
  if (!isUuid(deliveryId)) throw new AppError('NOT_FOUND');
  const [current] = await tx
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
    .for('update');
  if (!current) throw new AppError('NOT_FOUND');
  if (current.status === 'sending') return toDeliveryDto(current);
  if (endpoint.status === 'disabled') {
    await tx.update(webhookEndpoints).set({ status: 'enabled', disabledAt: null }).where(eq(webhookEndpoints.id, endpoint.id));
  }
  const [row] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()`, deliveredAt: null, updatedAt: sql`now()` })
    .where(eq(webhookDeliveries.id, current.id))
    .returning();
  if (!row) throw new Error('update of webhook_deliveries returned no row');
  afterCommit(tx, wakeWebhooks);
  return toDeliveryDto(row);
}

/** A `webhook.test` message to this endpoint only, whatever it subscribes to. */
export async function sendTestMessage(tx: Tx, key: { id: string; teamId: string }): Promise<WebhookDeliveryDto> {
  const endpoint = await ownEndpoint(tx, key, true);
  const data = { endpoint: { id: endpoint.id, url: endpoint.url } };
  const [row] = await tx
    .insert(webhookDeliveries)
    .values({ endpointId: endpoint.id, messageId: newMessageId(), type: WEBHOOK_TEST_TYPE, payload: messageBody(WEBHOOK_TEST_TYPE, data) })
    .returning();
  if (!row) throw new Error('insert into webhook_deliveries returned no row');
  if (endpoint.status === 'disabled') {
    await tx.update(webhookEndpoints).set({ status: 'enabled', disabledAt: null }).where(eq(webhookEndpoints.id, endpoint.id));
  }
  afterCommit(tx, wakeWebhooks);
  return toDeliveryDto(row);
}
