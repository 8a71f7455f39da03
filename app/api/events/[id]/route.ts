import { AppError } from '@/lib/errors';
import { eventCreditConfirmation } from '@/lib/events/credit-confirmation';
import { etagOf } from '@/lib/events/queries';
import { isUuid } from '@/lib/ids';
import { updateEventSchema } from '@/lib/events/schemas';
import { deleteEvent } from '@/lib/events/service';
import { editEvent } from '@/lib/flows/edit-event';
import { methods } from '@/lib/http/methods';
import { eventForViewer } from '@/lib/tickets/stats';
import { ifMatchOf } from '@/lib/http/preconditions';

function eventIdOf(params: Record<string, string>): string {
  const id = params.id;
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  return id;
}

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]', {
  GET: (route) => route.handle(async ({ team, params, db }) => {
    // An event's sales are ticket data: the door role sees the event without them.
    const { event, stats } = await eventForViewer(db, eventIdOf(params), team.id, team.may('tickets:read'));
    return { status: 200, data: stats ? { event, stats } : { event }, headers: { ETag: etagOf(event.version) } };
  }),

  PATCH: (route) => route
    .body(updateEventSchema)
    .idempotent()
    .confirmable(eventCreditConfirmation)
    .handle(async ({ request, team, actor, params, body, db, idempotency, confirmed }) => {
      const result = await editEvent(db, {
        actor: { teamId: team.id, idempotencyKeyId: idempotency.id, confirmCredit: confirmed },
        by: actor,
        eventId: eventIdOf(params),
        expectedVersion: ifMatchOf(request),
        patch: body,
      });
      return {
        status: 200,
        data: result,
        headers: { ETag: etagOf(result.event.version) },
        resource: { type: 'event', id: result.event.id },
      };
    }),

  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, params, db }) => {
      const id = eventIdOf(params);
      await deleteEvent(db, { teamId: team.id, idempotencyKeyId: null, confirmCredit: false }, id);
      return { status: 204, resource: { type: 'event', id } };
    }),
});
