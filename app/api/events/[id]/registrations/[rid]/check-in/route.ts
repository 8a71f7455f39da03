import { checkInRegistration } from '@/lib/checkin/scans';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/registrations/[rid]/check-in', {
  POST: (route) => route
    .idempotent()
    .handle(async ({ team, params, db }) => {
      const { id, rid } = params;
      // `rid` is the registration's id, or its reference as typed (checkInRegistration normalises it).
      if (!isUuid(id)) throw new AppError('NOT_FOUND');
      // The attendee list's button records a scan of its own (docs/api.md, "Door check-in").
      const result = await checkInRegistration(db, { eventId: id, registration: rid, teamId: team.id });
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
