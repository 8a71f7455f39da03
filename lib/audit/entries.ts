// Reading the audit log (`GET /api/teams/:tid/audit`, the team's audit page):
// newest first, keyset pagination on the id (a bigserial: an entry written
// later has a larger id), filtered by action, actor type and time.
import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { auditLog, type AuditLogRow } from '@/lib/db/schema';
import type { AuditEntryDto, AuditPage, AuditQuery } from './schemas';

export function toAuditEntryDto(row: AuditLogRow): AuditEntryDto {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: { type: row.actorType, id: row.actorId, name: row.actorName },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    details: row.details,
  };
}

/** `2026-12-07` as the start of that day (UTC), or the end of it for an upper bound; a date-time as it is. */
function instantOf(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00.000Z`);
    return end ? new Date(start.getTime() + 24 * 60 * 60 * 1000 - 1) : start;
  }
  return new Date(value);
}

export async function listAuditEntries(db: Queryable, teamId: string, query: Omit<AuditQuery, 'limit'> & { limit: number }): Promise<AuditPage> {
  const conditions: SQL[] = [eq(auditLog.teamId, teamId)];
  if (query.cursor) conditions.push(lt(auditLog.id, Number(query.cursor)));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.actor) conditions.push(eq(auditLog.actorType, query.actor));
  if (query.from) conditions.push(gte(auditLog.at, instantOf(query.from, false)));
  if (query.to) conditions.push(lte(auditLog.at, instantOf(query.to, true)));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { entries: page.map(toAuditEntryDto), nextCursor: rows.length > query.limit && last ? String(last.id) : null };
}
