import { methods } from '@/lib/http/methods';
import { retryRefund } from '@/lib/tickets/refunds';

/** A refund the provider failed, sent again: the same refund row, back to pending (docs/api.md, "Paid tickets"). */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/orders/[oid]/refunds/[rfid]/retry', {
  POST: (route) => route
    .idempotent()
    .handle(async ({ team, actor, params, db }) => {
      const result = await retryRefund(db, { eventId: params.id, orderId: params.oid, refundId: params.rfid, teamId: team.id, actor });
      return { status: 200, data: result, resource: { type: 'refund', id: result.refund.id } };
    }),
});
