import { AppError } from '@/lib/errors';
import { readEvent, toPublicEventDto } from '@/lib/events/event-row';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { holdsOf, publicTicketTypes } from '@/lib/tickets/ticket-types';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const row = await readEvent(db, { slug: params.slug });
      if (!row) throw new AppError('NOT_FOUND');
      const cookie = guestCookieFor(request);
      // Paid tickets: the seats held by pending orders right now (what is left counts them: seatsLeft), and the types on sale.
      const held = (await holdsOf(db, row.id)).total;
      const event = toPublicEventDto(row, held);
      const seats = { ...event.seats, held };
      const ticketTypes = await publicTicketTypes(db, row);
      return { status: 200, data: { event: { ...event, seats }, seats, ticketTypes }, ...(cookie && { cookies: [cookie] }) };
    }),
});
