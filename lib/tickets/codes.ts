// The owner of discount_codes: the organiser's codes (create, bulk create,
// change, disable, delete while unused, list with uses and revenue, CSV), the
// code an order names (checked, and its uses taken, in the order's
// transaction under the event's lock), and what the public page says of a
// code. A use is one ticket. Uses are counted, never stored: the confirmed
// tickets of the items bought with the code (`used`) and the items of live
// holds (`held`, by the one clock, as seats are). Every writer of an order
// holds the event's lock, so the count cannot move before the order commits;
// an expired hold, a cancelled order or a refunded ticket gives its use back
// by being what it is, exactly once. The database refuses confirmed tickets
// beyond max_uses (discount_codes_within_max_uses, at commit).
import { recordAudit, type AuditActor } from '@/lib/audit';
import { randomInt } from 'node:crypto';
import { and, asc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import { clock, now } from '@/lib/clock';
import type { Queryable, Tx } from '@/lib/db/pool';
import { safeInteger } from '@/lib/db/numbers';
import {
  discountCodes,
  orderItems,
  orders,
  payments,
  refunds,
  registrations,
  type DiscountCodeRow,
  type EventRow,
  type OrderRow,
  type TicketTypeRow,
} from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { lockEvent, readEvent } from '@/lib/events/event-row';
import { isUuid } from '@/lib/ids';
import { type BulkCodesData, type CodeDto, type CreateCodeData, isCodeShaped, normaliseCode, type PublicCodeState, type UpdateCodeData } from './code-schemas';
import { codeReaches, codeRefusal, type CodeUses, discountOf, remainingUses, typeVisible, unitDiscountOf } from './code-rules';
import { listTicketTypeRows } from './ticket-types';

const NO_USES: CodeUses = { used: 0, held: 0 };

// ---- uses and revenue ----------------------------------------------------------

/** `used`: confirmed tickets of items bought with the code; `held`: tickets of live holds (the one clock), `exceptOrderId` aside. */
export async function usesOf(db: Queryable, codeIds: string[], exceptOrderId?: string): Promise<Map<string, CodeUses>> {
  const uses = new Map<string, CodeUses>();
  if (codeIds.length === 0) return uses;
  const [usedRows, heldRows] = await Promise.all([
    db
      .select({ codeId: orderItems.codeId, n: sql<number>`count(*)::int` })
      .from(registrations)
      .innerJoin(orderItems, and(eq(orderItems.orderId, registrations.orderId), eq(orderItems.ticketTypeId, registrations.ticketTypeId)))
      .where(and(inArray(orderItems.codeId, codeIds), eq(registrations.status, 'confirmed')))
      .groupBy(orderItems.codeId),
    db
      .select({ codeId: orderItems.codeId, n: sql<number>`sum(${orderItems.quantity})::int` })
      .from(orderItems)
      .innerJoin(orders, eq(orders.id, orderItems.orderId))
      .where(
        and(
          inArray(orderItems.codeId, codeIds),
          eq(orders.status, 'pending_payment'),
          gt(orders.holdExpiresAt, now()),
          exceptOrderId ? ne(orders.id, exceptOrderId) : undefined,
        ),
      )
      .groupBy(orderItems.codeId),
  ]);
  for (const id of codeIds) uses.set(id, { ...NO_USES });
  for (const row of usedRows) if (row.codeId) uses.set(row.codeId, { ...(uses.get(row.codeId) ?? NO_USES), used: row.n });
  for (const row of heldRows) if (row.codeId) uses.set(row.codeId, { ...(uses.get(row.codeId) ?? NO_USES), held: row.n });
  return uses;
}

async function usesOfOne(db: Queryable, codeId: string, exceptOrderId?: string): Promise<CodeUses> {
  return (await usesOf(db, [codeId], exceptOrderId)).get(codeId) ?? NO_USES;
}

/**
 * Each code's revenue, from the payment rows alone: what the orders placed
 * with it paid, less what went back (every refund but a failed one), as the
 * organiser's totals count money.
 */
export async function revenueOf(db: Queryable, eventId: string): Promise<Map<string, number>> {
  const [paid, returned] = await Promise.all([
    db
      .select({ codeId: orders.codeId, amount: sql<string>`coalesce(sum(${payments.amount}), 0)`.mapWith(safeInteger) })
      .from(payments)
      .innerJoin(orders, eq(orders.id, payments.orderId))
      .where(and(eq(orders.eventId, eventId), sql`${orders.codeId} is not null`))
      .groupBy(orders.codeId),
    db
      .select({ codeId: orders.codeId, amount: sql<string>`coalesce(sum(${refunds.amount}), 0)`.mapWith(safeInteger) })
      .from(refunds)
      .innerJoin(orders, eq(orders.id, refunds.orderId))
      .where(and(eq(orders.eventId, eventId), sql`${orders.codeId} is not null`, ne(refunds.status, 'failed')))
      .groupBy(orders.codeId),
  ]);
  const revenue = new Map<string, number>();
  for (const row of paid) if (row.codeId) revenue.set(row.codeId, row.amount);
  for (const row of returned) if (row.codeId) revenue.set(row.codeId, (revenue.get(row.codeId) ?? 0) - row.amount);
  return revenue;
}

export function toCodeDto(row: DiscountCodeRow, uses: CodeUses, revenue: number): CodeDto {
  return {
    id: row.id,
    code: row.code,
    discount: discountOf(row),
    ticketTypeIds: row.ticketTypeIds,
    unlocks: row.unlocks,
    maxUses: row.maxUses,
    used: uses.used,
    held: uses.held,
    remaining: remainingUses(row, uses),
    validFrom: row.validFrom?.toISOString() ?? null,
    validUntil: row.validUntil?.toISOString() ?? null,
    status: row.status,
    revenue,
    createdAt: row.createdAt.toISOString(),
  };
}

// ---- the organiser's codes ------------------------------------------------------

type EventScope = { eventId: string; teamId: string };

function codeRows(db: Queryable, eventId: string): Promise<DiscountCodeRow[]> {
  return db.select().from(discountCodes).where(eq(discountCodes.eventId, eventId)).orderBy(asc(discountCodes.createdAt), asc(discountCodes.code));
}

async function shaped(db: Queryable, eventId: string, rows: DiscountCodeRow[]): Promise<CodeDto[]> {
  const [uses, revenue] = await Promise.all([usesOf(db, rows.map((row) => row.id)), revenueOf(db, eventId)]);
  return rows.map((row) => toCodeDto(row, uses.get(row.id) ?? NO_USES, revenue.get(row.id) ?? 0));
}

export async function listCodes(db: Queryable, { eventId, teamId }: EventScope): Promise<CodeDto[] | null> {
  const event = isUuid(eventId) ? await readEvent(db, { id: eventId, teamId }) : null;
  if (!event) return null;
  return shaped(db, event.id, await codeRows(db, event.id));
}

/** The rule's columns from a create or a patch; the types it names must be the event's, an amount in the event's currency. */
function ruleColumns(types: TicketTypeRow[], rule: Omit<UpdateCodeData, 'status'>): Partial<typeof discountCodes.$inferInsert> {
  const ids = new Set(types.map((type) => type.id));
  if (rule.ticketTypeIds?.some((id) => !ids.has(id))) throw new AppError('VALIDATION_FAILED', { fieldErrors: { ticketTypeIds: ['invalid'] } });
  if (rule.unlocks?.some((id) => !ids.has(id))) throw new AppError('VALIDATION_FAILED', { fieldErrors: { unlocks: ['invalid'] } });
  const currency = types[0]?.currency;
  if (rule.discount && 'amount' in rule.discount && currency && rule.discount.amount.currency !== currency) {
    throw new AppError('VALIDATION_FAILED', { fieldErrors: { 'discount.amount.currency': ['currency'] } });
  }
  return {
    ...(rule.discount !== undefined && {
      discountPercent: rule.discount && 'percent' in rule.discount ? rule.discount.percent : null,
      discountAmount: rule.discount && 'amount' in rule.discount ? rule.discount.amount.amount : null,
      currency: rule.discount && 'amount' in rule.discount ? rule.discount.amount.currency : null,
    }),
    ...(rule.ticketTypeIds !== undefined && { ticketTypeIds: rule.ticketTypeIds && [...new Set(rule.ticketTypeIds)] }),
    ...(rule.unlocks !== undefined && { unlocks: [...new Set(rule.unlocks)] }),
    ...(rule.maxUses !== undefined && { maxUses: rule.maxUses }),
    ...(rule.validFrom !== undefined && { validFrom: rule.validFrom ? new Date(rule.validFrom) : null }),
    ...(rule.validUntil !== undefined && { validUntil: rule.validUntil ? new Date(rule.validUntil) : null }),
  };
}

async function lockOwnEvent(tx: Tx, { eventId, teamId }: EventScope): Promise<EventRow> {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  if (!event) throw new AppError('NOT_FOUND');
  return event;
}

/** The code's audit entry: its text and event, never an order's or a guest's data. */
function auditCode(tx: Tx, actor: AuditActor, event: EventRow, action: 'code.created' | 'code.updated' | 'code.deleted', row: DiscountCodeRow, extra: Record<string, unknown> = {}): Promise<void> {
  return recordAudit(tx, { teamId: event.teamId, actor, action, target: { type: 'discount_code', id: row.id }, details: { eventId: event.id, code: row.code, ...extra } });
}

export async function createCode(tx: Tx, scope: EventScope, input: CreateCodeData, actor: AuditActor): Promise<CodeDto> {
  const event = await lockOwnEvent(tx, scope);
  const columns = ruleColumns(await listTicketTypeRows(tx, event.id), input);
  const [row] = await tx
    .insert(discountCodes)
    .values({ ...columns, eventId: event.id, code: input.code })
    .onConflictDoNothing({ target: [discountCodes.eventId, discountCodes.code] })
    .returning();
  if (!row) throw new AppError('CODE_TAKEN');
  await auditCode(tx, actor, event, 'code.created', row);
  return toCodeDto(row, NO_USES, 0);
}

const BULK_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function randomSuffix(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += BULK_ALPHABET[randomInt(BULK_ALPHABET.length)];
  return out;
}

/** `count` codes `<PREFIX>-<8 random characters>` with the same rules (single-use unless told). */
export async function createCodesInBulk(tx: Tx, scope: EventScope, input: BulkCodesData, actor: AuditActor): Promise<CodeDto[]> {
  const event = await lockOwnEvent(tx, scope);
  const { prefix, count, ...rule } = input;
  const columns = ruleColumns(await listTicketTypeRows(tx, event.id), rule);
  const made: DiscountCodeRow[] = [];
  // 32^8 suffixes: a collision is rare; the few there are get new suffixes.
  for (let round = 0; made.length < count && round < 5; round += 1) {
    const values = Array.from({ length: count - made.length }, () => ({ ...columns, eventId: event.id, code: `${prefix}-${randomSuffix()}` }));
    made.push(...(await tx.insert(discountCodes).values(values).onConflictDoNothing({ target: [discountCodes.eventId, discountCodes.code] }).returning()));
  }
  if (made.length < count) throw new Error(`bulk codes: ${count - made.length} of ${count} collided five times`);
  // One entry for the batch: the log says what was done, the codes list says which.
  await recordAudit(tx, { teamId: event.teamId, actor, action: 'code.bulk_created', target: { type: 'event', id: event.id }, details: { eventId: event.id, prefix, count } });
  return made.sort((a, b) => a.code.localeCompare(b.code)).map((row) => toCodeDto(row, NO_USES, 0));
}

async function lockCode(tx: Tx, event: EventRow, codeId: string): Promise<DiscountCodeRow> {
  const rows = isUuid(codeId)
    ? await tx
        .select()
        .from(discountCodes)
        .where(and(eq(discountCodes.id, codeId), eq(discountCodes.eventId, event.id)))
        .for('update')
        .limit(1)
    : [];
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** A change never touches orders placed: their items froze price, discount and code. */
export async function updateCode(tx: Tx, scope: EventScope & { codeId: string }, patch: UpdateCodeData, actor: AuditActor): Promise<CodeDto> {
  const event = await lockOwnEvent(tx, scope);
  const current = await lockCode(tx, event, scope.codeId);
  const uses = await usesOfOne(tx, current.id);
  if (patch.maxUses !== undefined && patch.maxUses !== null && patch.maxUses < uses.used + uses.held) {
    throw new AppError('CODE_USES_BELOW_TAKEN', { details: { used: uses.used, held: uses.held } });
  }
  const { status, ...rule } = patch;
  const columns = ruleColumns(await listTicketTypeRows(tx, event.id), rule);
  const merged = { ...current, ...columns };
  if (merged.validFrom && merged.validUntil && merged.validFrom >= merged.validUntil) {
    throw new AppError('VALIDATION_FAILED', { fieldErrors: { validUntil: ['validityOrder'] } });
  }
  if (merged.discountPercent === null && merged.discountAmount === null && (merged.unlocks ?? []).length === 0) {
    throw new AppError('VALIDATION_FAILED', { fieldErrors: { discount: ['codeDoesNothing'] } });
  }
  const [row] = await tx
    .update(discountCodes)
    .set({ ...columns, ...(status !== undefined && { status }), updatedAt: sql`now()` })
    .where(eq(discountCodes.id, current.id))
    .returning();
  if (!row) throw new Error('update of discount_codes returned no row');
  await auditCode(tx, actor, event, 'code.updated', row, {
    fields: Object.keys(patch).sort(),
    ...(status !== undefined && status !== current.status && { status: { from: current.status, to: status } }),
  });
  return toCodeDto(row, uses, (await revenueOf(tx, event.id)).get(row.id) ?? 0);
}

/** Only a code no order ever named (`CODE_IN_USE`: disable it instead). */
export async function deleteCode(tx: Tx, scope: EventScope & { codeId: string }, actor: AuditActor): Promise<void> {
  const event = await lockOwnEvent(tx, scope);
  const current = await lockCode(tx, event, scope.codeId);
  const [named] = await tx
    .select({ id: orders.id })
    .from(orders)
    .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(or(eq(orders.codeId, current.id), eq(orderItems.codeId, current.id)))
    .limit(1);
  if (named) throw new AppError('CODE_IN_USE');
  await tx.delete(discountCodes).where(eq(discountCodes.id, current.id));
  await auditCode(tx, actor, event, 'code.deleted', current);
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Formula-safe: a cell a spreadsheet would evaluate starts with a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The event's codes as CSV (code, discount, uses, validity, status, revenue); null for an event not the organiser's. */
export async function codesCsvOf(db: Queryable, scope: EventScope): Promise<string | null> {
  const codes = await listCodes(db, scope);
  if (!codes) return null;
  const header = ['code', 'discount_percent', 'discount_amount', 'currency', 'max_uses', 'used', 'held', 'remaining', 'valid_from', 'valid_until', 'status', 'revenue'];
  const lines = codes.map((c) =>
    [
      c.code,
      c.discount && 'percent' in c.discount ? c.discount.percent : null,
      c.discount && 'amount' in c.discount ? c.discount.amount.amount : null,
      c.discount && 'amount' in c.discount ? c.discount.amount.currency : null,
      c.maxUses,
      c.used,
      c.held,
      c.remaining,
      c.validFrom,
      c.validUntil,
      c.status,
      c.revenue,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

// ---- the code an order names, and the public page's ------------------------------

/**
 * The event's code as typed (any case) with its uses, in one round trip (an
 * order reads it under the event's lock: each round trip there is paid by
 * every order queued behind); null when there is no such code. The same
 * counts as `usesOf`.
 */
export async function readCodeWithUses(db: Queryable, eventId: string, raw: string): Promise<{ code: DiscountCodeRow; uses: CodeUses } | null> {
  if (!isCodeShaped(raw)) return null;
  const rows = await db
    .select({
      code: discountCodes,
      // Confirmed tickets live only in confirmed orders (orders_code_confirmed_idx): bounded by the code's sales, not by abandoned holds.
      used: sql<number>`(select count(*)::int from ${orders} o join ${registrations} r on r.order_id = o.id
                           join ${orderItems} i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
                         where o.code_id = "discount_codes"."id" and o.status = 'confirmed' and r.status = 'confirmed' and i.code_id = "discount_codes"."id")`,
      held: sql<number>`(select coalesce(sum(i.quantity), 0)::int from ${orderItems} i join ${orders} o on o.id = i.order_id
                         where i.code_id = "discount_codes"."id" and o.status = 'pending_payment' and o.hold_expires_at > ${now().toISOString()}::timestamptz)`,
    })
    .from(discountCodes)
    .where(and(eq(discountCodes.eventId, eventId), eq(discountCodes.code, normaliseCode(raw))))
    .limit(1);
  const row = rows[0];
  return row ? { code: row.code, uses: { used: Number(row.used), held: Number(row.held) } } : null;
}

export type CodedItem = { ticketTypeId: string; quantity: number; unitDiscount: number; codeId: string | null };

const REFUSAL_FIELD: Record<'unknown' | 'not_yet_valid' | 'expired', string> = { unknown: 'codeUnknown', not_yet_valid: 'codeNotYetValid', expired: 'codeExpired' };

/**
 * The code an order names, applied to its items: under the event's lock (the
 * caller's), the code is read, its uses counted, and each item it reaches
 * gets its discount and its code; asking for more of its tickets than remain
 * is `CODE_EXHAUSTED { remaining }` and nothing is held. Without a code, the
 * items as they are (a hidden type is not for sale to them).
 */
export async function applyOrderCode(
  tx: Tx,
  event: EventRow,
  types: Map<string, TicketTypeRow>,
  items: { ticketTypeId: string; quantity: number }[],
  raw: string | undefined,
): Promise<{ code: DiscountCodeRow | null; items: CodedItem[] }> {
  const found = raw === undefined ? null : await readCodeWithUses(tx, event.id, raw);
  const code = found?.code ?? null;
  if (raw !== undefined) {
    const uses = found?.uses ?? NO_USES;
    const refusal = codeRefusal(code, uses, clock().now());
    if (refusal === 'exhausted') throw new AppError('CODE_EXHAUSTED', { details: { remaining: 0 } });
    if (refusal) throw new AppError('VALIDATION_FAILED', { fieldErrors: { code: [REFUSAL_FIELD[refusal]] } });
    const wanted = items.reduce((n, item) => n + (code && codeReaches(code, item.ticketTypeId) ? item.quantity : 0), 0);
    const remaining = code ? remainingUses(code, uses) : null;
    if (remaining !== null && wanted > remaining) throw new AppError('CODE_EXHAUSTED', { details: { remaining } });
  }
  const coded = items.map((item) => {
    const type = types.get(item.ticketTypeId);
    if (!type || !typeVisible(type, code)) throw new AppError('VALIDATION_FAILED', { fieldErrors: { items: ['ticketItems'] } });
    const reached = code !== null && codeReaches(code, type.id);
    return { ticketTypeId: type.id, quantity: item.quantity, unitDiscount: reached && code ? unitDiscountOf(code, type) : 0, codeId: reached && code ? code.id : null };
  });
  const used = coded.some((item) => item.codeId !== null);
  return { code: used ? code : null, items: coded };
}

/**
 * Whether a late payment's discounted tickets still fit in their code's uses
 * (its own hold aside: it ran out, and others may have taken the uses). The
 * caller holds the event's lock.
 */
export async function codeUsesFreeFor(tx: Tx, order: Pick<OrderRow, 'id' | 'codeId'>, items: { quantity: number; codeId: string | null }[]): Promise<boolean> {
  if (order.codeId === null) return true;
  const wanted = items.reduce((n, item) => n + (item.codeId === order.codeId ? item.quantity : 0), 0);
  if (wanted === 0) return true;
  const [code] = await tx.select().from(discountCodes).where(eq(discountCodes.id, order.codeId)).limit(1);
  if (!code || code.maxUses === null) return true;
  const uses = await usesOfOne(tx, code.id, order.id);
  return wanted <= code.maxUses - uses.used - uses.held;
}

/** What the public page says of a typed code, and the code when a guest may use it (its unlocked types, its prices). */
export async function publicCode(db: Queryable, event: EventRow, raw: string): Promise<{ state: PublicCodeState; code: DiscountCodeRow | null }> {
  const typed = normaliseCode(raw);
  const found = await readCodeWithUses(db, event.id, raw);
  const code = found?.code ?? null;
  const uses = found?.uses ?? NO_USES;
  const reason = codeRefusal(code, uses, clock().now());
  if (reason || !code) return { state: { code: typed, valid: false, reason: reason ?? 'unknown' }, code: null };
  return { state: { code: code.code, valid: true, discount: discountOf(code), remaining: remainingUses(code, uses) }, code };
}

