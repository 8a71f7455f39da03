import { methods } from '@/lib/http/methods';
import { revokeInvitation } from '@/lib/teams/members';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/invitations/[iid]', {
  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, actor, params, db }) => {
      await revokeInvitation(db, { teamId: team.id, invitationId: params.iid, actor });
      return { status: 204, resource: { type: 'invitation', id: params.iid } };
    }),
});
