import { methods } from '@/lib/http/methods';
import { acceptInvitation } from '@/lib/teams/members';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/invitations/[token]/accept', {
  POST: (route) => route
    .idempotent()
    .handle(async ({ user, params, db }) => {
      const accepted = await acceptInvitation(db, { token: params.token, user, actor: { type: 'user', id: user.id, name: user.name ?? user.email } });
      return { status: 200, data: accepted, resource: { type: 'team', id: accepted.team.id } };
    }),
});
