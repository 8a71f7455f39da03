// Teams as the API shows them (docs/api.md, "Teams, roles and door devices"). Browser-safe.
import { REGISTRATION_LOCALES, TEAM_ROLES, type TeamRole } from '@/lib/enums';
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

// ---- members and invitations (docs/api.md, "Teams, roles and door devices") ----

/** `POST /api/teams/:tid/invitations`: who and as what; `locale` is the mail's language (default: the inviter's request language). */
export const inviteSchema = z.strictObject({
  email: z
    .string({ error: 'email' })
    .trim()
    .toLowerCase()
    .max(254, 'email')
    .pipe(z.email({ error: 'email' })),
  role: teamRoleSchema,
  locale: z.enum(REGISTRATION_LOCALES, { error: 'invalid' }).optional(),
});
export type InviteInput = z.input<typeof inviteSchema>;

/** `PATCH /api/teams/:tid/members/:uid`. */
export const changeRoleSchema = z.strictObject({ role: teamRoleSchema });
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

/** A member as the Team page and `GET /api/teams/:tid/members` show them. */
export type MemberDto = { userId: string; name: string | null; email: string; role: TeamRole; joinedAt: string };

/** A pending invitation: sent, not accepted, revoked or expired. */
export type InvitationDto = { id: string; email: string; role: TeamRole; expiresAt: string };

/** `GET /api/teams/:tid/members`. */
export type MembersDto = { members: MemberDto[]; invitations: InvitationDto[] };

/** What the `/invite/<token>` page shows of a live invitation. */
export type InvitationPreview = { teamId: string; teamName: string; role: TeamRole; email: string; expiresAt: string };
