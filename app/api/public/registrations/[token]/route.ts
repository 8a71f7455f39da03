import { ticketCodeOf } from '@/lib/checkin/code';
import { AppError } from '@/lib/errors';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { registrationByToken } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/registrations/[token]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const found = await registrationByToken(db, params.token);
      if (!found) throw new AppError('NOT_FOUND');
      // A confirmed registration carries its door code (docs/api.md, "Door check-in").
      const code =
        found.registration.status === 'confirmed' ? await ticketCodeOf({ eventId: found.event.id, registrationId: found.registration.id }) : null;
      const cookie = guestCookieFor(request);
      return { status: 200, data: { ...found, registration: { ...found.registration, code } }, ...(cookie && { cookies: [cookie] }) };
    }),
});
