// The audit log (docs/api.md, "Teams, roles and door devices"): who did a
// privileged write, written by the service that makes the change, in the same
// transaction, so a change and its entry commit or roll back together. The
// actor comes from the route builder (lib/http/route.ts), which knows whether
// a user, an API key or a door device asked.
import type { Tx } from '@/lib/db/pool';
import { auditLog } from '@/lib/db/schema';
import type { AuditActorType } from '@/lib/enums';
import type { ListedAuditAction } from './schemas';

/** Who is asking: a signed-in user, an API key or a door device (whose event it is bound to). */
export type Actor =
  | { type: 'user'; id: string; name: string }
  | { type: 'api_key'; id: string; name: string }
  | { type: 'device'; id: string; name: string; eventId: string };

/** A change the system makes on its own (a sweep, a late payment), for services that accept an actor. */
export const SYSTEM_ACTOR = { type: 'system', id: null, name: null } as const;
export type AuditActor = Actor | typeof SYSTEM_ACTOR;

/** What the log says happened: `<target>.<verb>`, e.g. `order.refunded`, `member.role_changed`. */
export type AuditAction =
  | 'event.capacity_changed'
  | 'event.price_changed'
  | 'event.cancelled'
  | 'order.refunded'
  | 'code.created'
  | 'code.updated'
  | 'code.deleted'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'webhook_endpoint.created'
  | 'webhook_endpoint.deleted'
  | 'device.created'
  | 'device.revoked'
  | 'invitation.created'
  | 'invitation.accepted'
  | 'member.role_changed'
  | 'member.removed'
  | 'payouts.account_created'
  // Audit log (branch audit)
  | 'order.refund_retried'
  | 'code.bulk_created';

// Every action is listed in ./schemas.ts (the API's filter, the page's words in en.json and ru.json): one added to the
// union above and not there, or the reverse, does not compile.
type Unlisted = Exclude<AuditAction, ListedAuditAction> | Exclude<ListedAuditAction, AuditAction>;
const everyActionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyActionListed;

export type AuditEntry = {
  teamId: string;
  actor: AuditActor;
  action: AuditAction;
  target: { type: string; id: string | null };
  details?: Record<string, unknown>;
};

/** Writes one entry in the change's transaction. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const type: AuditActorType = entry.actor.type;
  await tx.insert(auditLog).values({
    teamId: entry.teamId,
    actorType: type,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    details: entry.details ?? {},
  });
}
