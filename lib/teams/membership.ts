// Membership as the route builder asks for it, on every request (no cache: a
// removed member or a lowered role is refused by the next request on every
// instance). One indexed statement each.
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { events, teamMembers } from '@/lib/db/schema';
import type { TeamRole } from '@/lib/enums';
import { isUuid } from '@/lib/ids';

/** The user's role in the team, or null when they are not in it. */
export async function roleIn(db: Queryable, teamId: string, userId: string): Promise<TeamRole | null> {
  if (!isUuid(teamId)) return null;
  const rows = await db
    .select({ role: teamMembers.role })
    .from(teamMembers)
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
    .limit(1);
  return rows[0]?.role ?? null;
}

/** The event's team, and the user's role in it (null when not a member; or no user asked); null when there is no such event. */
export async function eventTeam(db: Queryable, eventId: string, userId: string | null): Promise<{ teamId: string; role: TeamRole | null } | null> {
  if (!isUuid(eventId)) return null;
  const rows = await db
    .select({ teamId: events.teamId, role: teamMembers.role })
    .from(events)
    .leftJoin(teamMembers, and(eq(teamMembers.teamId, events.teamId), userId ? eq(teamMembers.userId, userId) : sql`false`))
    .where(eq(events.id, eventId))
    .limit(1);
  const row = rows[0];
  return row ? { teamId: row.teamId, role: row.role ?? null } : null;
}
