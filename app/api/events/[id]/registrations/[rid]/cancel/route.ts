import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';
import { cancelAttendee } from '@/lib/tickets/organiser-orders';

/**
 * The organiser cancels one attendee: a free registration at once (its seat to
 * the waitlist), a ticket of a paid order through a refund of its price that
 * frees the seat when the provider confirms it (docs/api.md, "Paid tickets").
 */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/registrations/[rid]/cancel', {
  POST: (route) => route
    .idempotent()
    .handle(async ({ team, actor, params, db }) => {
      // By id only: a reference names a ticket at the door (check-in), never for a cancellation.
      if (!isUuid(params.rid)) throw new AppError('NOT_FOUND');
      // A paid ticket's cancel is a refund: it also needs orders:refund (a manager, or a key with events:write only, may not).
      const result = await cancelAttendee(db, { eventId: params.id, registrationId: params.rid, teamId: team.id, actor, mayRefund: () => team.require('orders:refund') });
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
