// The event's iCalendar file: a text/calendar body, the same for everyone (no
// session read); its errors answer in the envelope.
import { AppError } from '@/lib/errors';
import { methods } from '@/lib/http/methods';
import { eventCalendar } from '@/lib/events/calendar';
import { publicEvent } from '@/lib/registrations/server';
import { config } from '@/lib/config';

export const dynamic = 'force-dynamic';

/** The app's host name without a port: APP_ORIGIN's when set, else the request's Host. */
function appHostName(request: Request): string {
  const origin = config().APP_ORIGIN;
  if (origin) {
    try {
      return new URL(origin).hostname;
    } catch {
      // fall through to the request's host
    }
  }
  return new URL(request.url).hostname;
}

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/events/[slug]/calendar.ics', {
  GET: (route) =>
    route.withoutSession().handle(async ({ request, params }) => {
      const event = await publicEvent(params.slug);
      if (!event) throw new AppError('NOT_FOUND');
      const url = new URL(`/e/${event.slug}`, request.url).toString();
      return {
        status: 200,
        body: eventCalendar(event, appHostName(request), url),
        contentType: 'text/calendar; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="${event.slug}.ics"` },
      };
    }),
});
