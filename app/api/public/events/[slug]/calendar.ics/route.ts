// The event's iCalendar file. Not through route(): its answer is text/calendar,
// not the JSON envelope; its errors still answer in the envelope.
import { AppError } from '@/lib/errors';
import { errorResponse, toResponse } from '@/lib/http/envelope';
import { methods } from '@/lib/http/methods';
import { failure, requestLocale } from '@/lib/http/route';
import { eventCalendar } from '@/lib/registrations/calendar';
import { publicEvent } from '@/lib/registrations/server';

export const dynamic = 'force-dynamic';

/** The app's host name without a port: APP_ORIGIN's when set, else the request's Host. */
function appHostName(request: Request): string {
  const origin = process.env.APP_ORIGIN;
  if (origin) {
    try {
      return new URL(origin).hostname;
    } catch {
      // fall through to the request's host
    }
  }
  return new URL(request.url).hostname;
}

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: async (request, context) => {
    const locale = requestLocale(request);
    try {
      const params = context?.params ? await context.params : {};
      const event = await publicEvent(params.slug ?? '');
      if (!event) return toResponse(errorResponse(new AppError('NOT_FOUND'), locale));
      const url = new URL(`/e/${event.slug}`, request.url).toString();
      return new Response(eventCalendar(event, appHostName(request), url), {
        status: 200,
        headers: {
          'Content-Type': 'text/calendar; charset=utf-8',
          'Content-Disposition': `attachment; filename="${event.slug}.ics"`,
          'Cache-Control': 'no-store',
        },
      });
    } catch (error) {
      return toResponse(failure(error, 'GET /api/public/events/[slug]/calendar.ics', locale));
    }
  },
});
