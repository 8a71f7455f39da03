import { AppError } from '@/lib/errors';
import { readEvent, toPublicEventDto } from '@/lib/events/event-row';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { holdsOf, publicTicketTypes } from '@/lib/tickets/ticket-types';
import { publicQuestions } from '@/lib/questions/questions';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const row = await readEvent(db, { slug: params.slug });
      if (!row) throw new AppError('NOT_FOUND');
      const event = toPublicEventDto(row);
      const cookie = guestCookieFor(request);
      // Paid tickets: the seats held by pending orders right now, and the types on sale.
      const held = (await holdsOf(db, row.id)).total;
      const seats = { ...event.seats, held, available: Math.max(0, event.seats.available - held) };
      const ticketTypes = await publicTicketTypes(db, row);
      // What the guest's form asks (docs/api.md, "Questions").
      const questions = await publicQuestions(db, row.id);
      return { status: 200, data: { event: { ...event, seats }, seats, ticketTypes, questions }, ...(cookie && { cookies: [cookie] }) };
    }),
});
