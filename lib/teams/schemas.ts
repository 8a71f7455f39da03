// Teams as the API shows them (docs/api.md, "Teams, roles and door devices"). Browser-safe.
import { TEAM_ROLES, type TeamRole } from '@/lib/enums';
import { z } from '@/lib/zod';

export const createTeamSchema = z.strictObject({
  name: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'nameTooLong'),
});
export type CreateTeamInput = z.input<typeof createTeamSchema>;

export const teamRoleSchema = z.enum(TEAM_ROLES, { error: 'invalid' });

/** A team as its member sees it in the list and the switcher. */
export type TeamDto = { id: string; name: string; role: TeamRole; personal: boolean };

/** The header that names the team a list or a creation acts in (docs/api.md); else the switcher's cookie; else the personal team. */
export const TEAM_HEADER = 'x-team-id';
/** The header switcher's cookie, set in the browser: the team the organiser's pages and requests act in. */
export const TEAM_COOKIE = 'team';
