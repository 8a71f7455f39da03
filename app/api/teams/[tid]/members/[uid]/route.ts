import { methods } from '@/lib/http/methods';
import { changeRole, removeMember } from '@/lib/teams/members';
import { changeRoleSchema } from '@/lib/teams/schemas';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/members/[uid]', {
  PATCH: (route) => route
    .body(changeRoleSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const member = await changeRole(db, { teamId: team.id, userId: params.uid, role: body.role, actor });
      return { status: 200, data: { member }, resource: { type: 'team_member', id: member.userId } };
    }),
  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, actor, params, db }) => {
      await removeMember(db, { teamId: team.id, userId: params.uid, actor });
      return { status: 204, resource: { type: 'team_member', id: params.uid } };
    }),
});
