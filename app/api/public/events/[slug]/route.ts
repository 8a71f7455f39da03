import { AppError } from '@/lib/errors';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';
import { findPublicEvent, toPublicEventDto } from '@/lib/registrations/service';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const row = await findPublicEvent(db, params.slug);
      if (!row) throw new AppError('NOT_FOUND');
      const event = toPublicEventDto(row);
      const cookie = guestCookieFor(request);
      return { status: 200, data: { event, seats: event.seats }, ...(cookie && { cookies: [cookie] }) };
    }),
});
