import { AppError } from '@/lib/errors';
import { eventCreditConfirmation } from '@/lib/events/credit-confirmation';
import { etagOf, listOwnEvents, parseEventsCursor } from '@/lib/events/queries';
import { createEventSchema, listEventsQuerySchema } from '@/lib/events/schemas';
import { createEvent } from '@/lib/events/service';
import { methods } from '@/lib/http/methods';
import { listOwnEventsWithSales } from '@/lib/tickets/stats';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events', {
  GET: (route) => route
    .query(listEventsQuerySchema)
    .handle(async ({ team, query, db }) => {
      const cursor = query.cursor ? parseEventsCursor(query.cursor) : null;
      if (query.cursor && !cursor) throw new AppError('VALIDATION_FAILED', { fieldErrors: { cursor: ['invalid'] } });
      const page = { limit: query.limit, cursor };
      // Tickets sold and revenue are ticket data: the door role gets the events without them.
      return { status: 200, data: team.may('tickets:read') ? await listOwnEventsWithSales(db, team.id, page) : await listOwnEvents(db, team.id, page) };
    }),

  POST: (route) => route
    .body(createEventSchema)
    .idempotent()
    .confirmable(eventCreditConfirmation)
    .handle(async ({ team, body, db, idempotency, confirmed }) => {
      const result = await createEvent(db, { teamId: team.id, idempotencyKeyId: idempotency.id, confirmCredit: confirmed }, body);
      return {
        status: 201,
        data: result,
        headers: { Location: `/api/events/${result.event.id}`, ETag: etagOf(result.event.version) },
        resource: { type: 'event', id: result.event.id },
      };
    }),
});
