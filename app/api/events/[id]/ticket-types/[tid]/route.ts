import { methods } from '@/lib/http/methods';
import { updateTicketTypeSchema } from '@/lib/tickets/schemas';
import { updateTicketType } from '@/lib/tickets/ticket-types';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/ticket-types/[tid]', {
  PATCH: (route) => route
    .body(updateTicketTypeSchema)
    .idempotent()
    .handle(async ({ team, actor, params, body, db }) => {
      const ticketType = await updateTicketType(db, { eventId: params.id, teamId: team.id, ticketTypeId: params.tid, actor }, body);
      return { status: 200, data: { ticketType }, resource: { type: 'ticket_type', id: ticketType.id } };
    }),
});
