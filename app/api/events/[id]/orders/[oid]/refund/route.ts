import { methods } from '@/lib/http/methods';
import { refundSchema } from '@/lib/tickets/schemas';
import { requestRefund } from '@/lib/tickets/refunds';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/orders/[oid]/refund', {
  POST: (route) => route
    .body(refundSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const result = await requestRefund(db, { eventId: params.id, orderId: params.oid, teamId: team.id, amount: body.amount, actor });
      return { status: 201, data: result, resource: { type: 'refund', id: result.refund.id } };
    }),
});
