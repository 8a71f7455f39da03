// The audit log as the API and the page show it (docs/api.md, "Teams, roles
// and door devices": `GET /api/teams/:tid/audit`). Browser-safe.
import { AUDIT_ACTOR_TYPES, type AuditActorType } from '@/lib/enums';
import { z } from '@/lib/zod';

/** Every action the log writes, in the order the page's filter offers them (./index.ts checks it against `AuditAction`). */
export const AUDIT_ACTIONS = [
  'order.refunded',
  'order.refund_retried',
  'event.capacity_changed',
  'event.price_changed',
  'event.cancelled',
  'code.created',
  'code.bulk_created',
  'code.updated',
  'code.deleted',
  'api_key.created',
  'api_key.revoked',
  'webhook_endpoint.created',
  'webhook_endpoint.deleted',
  'device.created',
  'device.revoked',
  'invitation.created',
  'invitation.accepted',
  'member.role_changed',
  'member.removed',
  'payouts.account_created',
] as const;
export type ListedAuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_PAGE_SIZE = 50;

/** `2026-12-07` (a whole day, UTC) or an ISO date-time with its offset. */
const instant = z.union([z.iso.date({ error: 'invalid' }), z.iso.datetime({ offset: true, error: 'invalid' })], { error: 'invalid' });

export const auditQuerySchema = z.object({
  /** The `nextCursor` of the page before: entries older than it. */
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'invalid').optional(),
  action: z.enum(AUDIT_ACTIONS, { error: 'invalid' }).optional(),
  actor: z.enum(AUDIT_ACTOR_TYPES, { error: 'invalid' }).optional(),
  /** From this instant on (a date: from its start, UTC). */
  from: instant.optional(),
  /** Up to this instant (a date: to its end, UTC). */
  to: instant.optional(),
  limit: z.coerce.number({ error: 'invalid' }).int('invalid').min(1, 'invalid').max(200, 'invalid').default(AUDIT_PAGE_SIZE),
});
export type AuditQueryInput = z.input<typeof auditQuerySchema>;
export type AuditQuery = z.output<typeof auditQuerySchema>;

export type AuditEntryDto = {
  id: string;
  at: string;
  actor: { type: AuditActorType; id: string | null; name: string | null };
  action: string;
  target: { type: string; id: string | null };
  details: Record<string, unknown>;
};

export type AuditPage = { entries: AuditEntryDto[]; nextCursor: string | null };

/** Whether `action` is one the page has words for (an entry written by a newer version may not be). */
export function isKnownAction(action: string): action is ListedAuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}
