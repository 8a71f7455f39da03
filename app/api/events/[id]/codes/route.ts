import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { createCodeSchema } from '@/lib/tickets/code-schemas';
import { createCode, listCodes } from '@/lib/tickets/codes';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/codes', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    const codes = await listCodes(db, { eventId: params.id, teamId: team.id });
    if (!codes) throw new AppError('NOT_FOUND');
    return { status: 200, data: { codes } };
  }),

  POST: (route) => route
    .body(createCodeSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const code = await createCode(db, { eventId: params.id, teamId: team.id }, body, actor);
      return { status: 201, data: { code }, resource: { type: 'discount_code', id: code.id } };
    }),
});
