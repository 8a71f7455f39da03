// Teams: the user's list (the header's switcher, GET /api/teams) and new ones
// (POST /api/teams: the creator is its owner; the database opens its credit
// account). A personal team is opened with the profile (supabase/migrations/*_teams.sql).
import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { teamMembers, teams } from '@/lib/db/schema';
import type { TeamDto } from './schemas';

/** The user's teams, their personal one first, then by name. */
export async function listTeams(db: Queryable, userId: string): Promise<TeamDto[]> {
  const rows = await db
    .select({ id: teams.id, name: teams.name, role: teamMembers.role, personalOwnerId: teams.personalOwnerId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .orderBy(sql`(${teams.personalOwnerId} = ${userId}) is not true`, asc(teams.name), asc(teams.id));
  return rows.map((row) => ({ id: row.id, name: row.name, role: row.role, personal: row.personalOwnerId === userId }));
}

/** A new team with the user as its owner. */
export async function createTeam(tx: Tx, { userId, name }: { userId: string; name: string }): Promise<TeamDto> {
  const [team] = await tx.insert(teams).values({ name }).returning();
  if (!team) throw new Error('insert into teams returned no row');
  await tx.insert(teamMembers).values({ teamId: team.id, userId, role: 'owner' });
  return { id: team.id, name: team.name, role: 'owner', personal: false };
}
