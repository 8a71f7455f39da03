import { methods } from '@/lib/http/methods';
import { inviteMember } from '@/lib/teams/members';
import { inviteSchema } from '@/lib/teams/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/invitations', {
  POST: (route) => route
    .body(inviteSchema)
    .idempotent()
    .handle(async ({ team, actor, user, body, locale, db }) => {
      const invitation = await inviteMember(db, {
        teamId: team.id,
        email: body.email,
        role: body.role,
        locale: body.locale ?? locale,
        invitedBy: user?.id ?? null,
        actor,
      });
      return { status: 201, data: { invitation }, resource: { type: 'invitation', id: invitation.id } };
    }),
});
