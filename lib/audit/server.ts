// What the audit page reads (app/(app)/settings/audit).
import 'server-only';
import { getDb } from '@/lib/db/pool';
import { listAuditEntries } from './entries';
import { AUDIT_PAGE_SIZE, auditQuerySchema, type AuditPage, type AuditQuery } from './schemas';

/** The page's filters from its address: each one that does not parse is left out (a hand-edited link shows the rest). */
export function auditFiltersOf(search: Record<string, string | string[] | undefined>): Omit<AuditQuery, 'limit'> {
  const shape = auditQuerySchema.shape;
  const raw = (name: string) => {
    const value = search[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const ok = <T>(parsed: { success: true; data: T } | { success: false }): T | undefined => (parsed.success ? parsed.data : undefined);
  return {
    cursor: ok(shape.cursor.safeParse(raw('cursor'))),
    action: ok(shape.action.safeParse(raw('action'))),
    actor: ok(shape.actor.safeParse(raw('actor'))),
    from: ok(shape.from.safeParse(raw('from'))),
    to: ok(shape.to.safeParse(raw('to'))),
  };
}

export function auditEntriesOf(teamId: string, filters: Omit<AuditQuery, 'limit'>): Promise<AuditPage> {
  return listAuditEntries(getDb(), teamId, { ...filters, limit: AUDIT_PAGE_SIZE });
}
