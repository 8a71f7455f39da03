import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { createTicketTypeSchema } from '@/lib/tickets/schemas';
import { createTicketType, listTicketTypes } from '@/lib/tickets/ticket-types';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/ticket-types', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    const ticketTypes = await listTicketTypes(db, { eventId: params.id, teamId: team.id });
    if (!ticketTypes) throw new AppError('NOT_FOUND');
    return { status: 200, data: { ticketTypes } };
  }),

  POST: (route) => route
    .body(createTicketTypeSchema)
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      const ticketType = await createTicketType(db, { eventId: params.id, teamId: team.id }, body);
      return { status: 201, data: { ticketType }, resource: { type: 'ticket_type', id: ticketType.id } };
    }),
});
