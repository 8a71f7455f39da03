import { etagOf, findVisibleEvent, isEventId, toEventDto } from '@/lib/events/queries';
import { updateEventSchema } from '@/lib/events/schemas';
import { deleteEvent, updateEvent } from '@/lib/events/service';
import { ApiError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

function eventIdOf(params: Record<string, string>): string {
  const id = params.id;
  if (!isEventId(id)) throw new ApiError('NOT_FOUND');
  return id;
}

export const GET = route('GET /api/events/[id]', {}, async ({ user, params, db }) => {
  const event = await findVisibleEvent(db, eventIdOf(params), user.id);
  if (!event) throw new ApiError('NOT_FOUND');
  return { status: 200, data: { event: toEventDto(event) }, headers: { ETag: etagOf(event.version) } };
});

export const PATCH = route(
  'PATCH /api/events/[id]',
  { body: updateEventSchema, idempotency: 'required' },
  async ({ request, user, params, body, db, idempotency, confirmCredit }) => {
    const actor = { userId: user.id, idempotencyKeyId: idempotency.id, confirmCredit };
    const result = await updateEvent(db, actor, eventIdOf(params), request.headers.get('if-match'), body);
    return {
      status: 200,
      data: result,
      headers: { ETag: etagOf(result.event.version) },
      resource: { type: 'event', id: result.event.id },
    };
  },
);

export const DELETE = route('DELETE /api/events/[id]', { idempotency: 'required' }, async ({ user, params, db }) => {
  const id = eventIdOf(params);
  await deleteEvent(db, { userId: user.id, idempotencyKeyId: null, confirmCredit: false }, id);
  return { status: 204, resource: { type: 'event', id } };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('GET', 'PATCH', 'DELETE');
export const POST = otherMethodHandlers.POST;
export const PUT = otherMethodHandlers.PUT;
