import { listAuditEntries } from '@/lib/audit/entries';
import { auditQuerySchema } from '@/lib/audit/schemas';
import { methods } from '@/lib/http/methods';

/** The team's audit log, newest first (`audit:read`: owners; docs/api.md, "Teams, roles and door devices"). */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/audit', {
  GET: (route) => route
    .query(auditQuerySchema)
    .handle(async ({ team, query, db }) => ({ status: 200, data: await listAuditEntries(db, team.id, query) })),
});
