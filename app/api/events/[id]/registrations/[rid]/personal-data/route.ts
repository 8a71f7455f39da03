import { methods } from '@/lib/http/methods';
import { erasePersonalData } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/registrations/[rid]/personal-data', {
  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, params, db }) => {
      const result = await erasePersonalData(db, { eventId: params.id, registrationId: params.rid, teamId: team.id });
      return { status: 200, data: result, resource: { type: 'registration', id: result.registration.id } };
    }),
});
