import { AppError } from '@/lib/errors';
import { readEvent, toPublicEventDto } from '@/lib/events/event-row';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { publicEventQuerySchema } from '@/lib/tickets/code-schemas';
import { publicCode } from '@/lib/tickets/codes';
import { holdsOf, publicTicketTypes } from '@/lib/tickets/ticket-types';
import { publicQuestions } from '@/lib/questions/questions';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]', {
  GET: (route) => route
    .public()
    .query(publicEventQuerySchema)
    .handle(async ({ request, params, query, db }) => {
      const row = await readEvent(db, { slug: params.slug });
      if (!row) throw new AppError('NOT_FOUND');
      const cookie = guestCookieFor(request);
      // Paid tickets: the seats held by pending orders right now (what is left counts them: seatsLeft), and the types on sale.
      const held = (await holdsOf(db, row.id)).total;
      const event = toPublicEventDto(row, held);
      const seats = { ...event.seats, held };
      // A code (?code=): its state, the hidden types it unlocks and each type's discounted price; never a 404 for the event.
      const applied = query.code ? await publicCode(db, row, query.code) : null;
      const ticketTypes = await publicTicketTypes(db, row, applied?.code ?? null);
      // What the guest's form asks (docs/api.md, "Questions").
      const questions = await publicQuestions(db, row.id);
      return {
        status: 200,
        data: { event: { ...event, seats }, seats, ticketTypes, questions, ...(applied && { code: applied.state }) },
        ...(cookie && { cookies: [cookie] }),
      };
    }),
});
