import 'server-only';
// The organiser's pages act in a team like the API does (lib/http/caller.ts):
// an event's pages in the event's team, every other page in the current team
// (the switcher's cookie, else the personal team). Read once per request.
import { cache } from 'react';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { requireSessionUser } from '@/lib/auth/server';
import type { AuthUser } from '@/lib/auth/types';
import { getDb } from '@/lib/db/pool';
import { isUuid } from '@/lib/ids';
import { eventTeam } from './membership';
import { can, type Permission } from './permissions';
import { TEAM_COOKIE, type TeamDto } from './schemas';
import { listTeams } from './teams';


export const teamsOf = cache((userId: string): Promise<TeamDto[]> => listTeams(getDb(), userId));

/** The team the signed-in user's pages act in: the switcher's choice while they are in it, else their personal team. */
export const currentTeamOf = cache(async (userId: string): Promise<TeamDto> => {
  const [list, store] = await Promise.all([teamsOf(userId), cookies()]);
  const chosen = store.get(TEAM_COOKIE)?.value;
  const team = (chosen && isUuid(chosen) && list.find((t) => t.id === chosen)) || list.find((t) => t.personal) || list[0];
  if (!team) throw new Error(`user ${userId} is in no team (the personal team is opened with the profile)`);
  return team;
});

/** The user's role in an event's team; null when they are not in it (or there is no such event). */
export const roleForEvent = cache(async (eventId: string, userId: string) => {
  const found = await eventTeam(getDb(), eventId, userId);
  return found?.role ? { teamId: found.teamId, role: found.role } : null;
});

/**
 * The opening of an organiser's page outside any one event: the signed-in
 * user (else a redirect to sign in and back) and the team the page acts in; a
 * 404 when their role there lacks the page's permission (what a role cannot
 * do is not offered).
 */
export async function teamPage(returnTo: string, permission?: Permission): Promise<{ user: AuthUser; team: TeamDto }> {
  const user = await requireSessionUser(returnTo);
  const team = await currentTeamOf(user.id);
  if (permission && !can(team.role, permission)) notFound();
  return { user, team };
}
