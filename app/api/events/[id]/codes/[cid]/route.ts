import { methods } from '@/lib/http/methods';
import { updateCodeSchema } from '@/lib/tickets/code-schemas';
import { deleteCode, updateCode } from '@/lib/tickets/codes';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/codes/[cid]', {
  PATCH: (route) => route
    .body(updateCodeSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const code = await updateCode(db, { eventId: params.id, teamId: team.id, codeId: params.cid }, body, actor);
      return { status: 200, data: { code }, resource: { type: 'discount_code', id: code.id } };
    }),

  DELETE: (route) => route.idempotent().handle(async ({ team, actor, params, db }) => {
    await deleteCode(db, { eventId: params.id, teamId: team.id, codeId: params.cid }, actor);
    return { status: 204, resource: { type: 'discount_code', id: params.cid } };
  }),
});
