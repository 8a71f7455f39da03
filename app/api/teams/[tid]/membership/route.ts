// Leaving a team: any member's own act (members:read), where removing someone
// else is an owner's (DELETE /api/teams/:tid/members/:uid, members:manage).
import { methods } from '@/lib/http/methods';
import { removeMember } from '@/lib/teams/members';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/membership', {
  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, actor, db }) => {
      // members:read has no API-key scope: the caller is a signed-in member, and the actor is them.
      await removeMember(db, { teamId: team.id, userId: actor.id, actor });
      return { status: 204, resource: { type: 'team_member', id: actor.id } };
    }),
});
