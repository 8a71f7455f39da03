import { AppError } from '@/lib/errors';
import { readEvent, toPublicEventDto } from '@/lib/events/event-row';
import { guestCookieFor } from '@/lib/http/guest';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]', {
  GET: (route) => route
    .public()
    .handle(async ({ request, params, db }) => {
      const row = await readEvent(db, { slug: params.slug });
      if (!row) throw new AppError('NOT_FOUND');
      const event = toPublicEventDto(row);
      const cookie = guestCookieFor(request);
      return { status: 200, data: { event, seats: event.seats }, ...(cookie && { cookies: [cookie] }) };
    }),
});
