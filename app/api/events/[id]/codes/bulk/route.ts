import { methods } from '@/lib/http/methods';
import { bulkCodesSchema } from '@/lib/tickets/code-schemas';
import { createCodesInBulk } from '@/lib/tickets/codes';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/codes/bulk', {
  POST: (route) => route
    .body(bulkCodesSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const codes = await createCodesInBulk(db, { eventId: params.id, teamId: team.id }, body, actor);
      return { status: 201, data: { codes } };
    }),
});
