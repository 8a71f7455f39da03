import { listOwnEvents, parseEventsCursor, etagOf } from '@/lib/events/queries';
import { createEventSchema, listEventsQuerySchema } from '@/lib/events/schemas';
import { createEvent } from '@/lib/events/service';
import { ApiError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const GET = route('GET /api/events', { query: listEventsQuerySchema }, async ({ user, query, db }) => {
  const cursor = query.cursor ? parseEventsCursor(query.cursor) : null;
  if (query.cursor && !cursor) throw new ApiError('VALIDATION_FAILED', { fieldErrors: { cursor: ['invalid'] } });
  return { status: 200, data: await listOwnEvents(db, user.id, { limit: query.limit, cursor }) };
});

export const POST = route(
  'POST /api/events',
  { body: createEventSchema, idempotency: 'required' },
  async ({ user, body, db, idempotency, confirmCredit }) => {
    const result = await createEvent(db, { userId: user.id, idempotencyKeyId: idempotency.id, confirmCredit }, body);
    return {
      status: 201,
      data: result,
      headers: { Location: `/api/events/${result.event.id}`, ETag: etagOf(result.event.version) },
      resource: { type: 'event', id: result.event.id },
    };
  },
);

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('GET', 'POST');
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
