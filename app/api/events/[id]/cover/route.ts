import { AppError } from '@/lib/errors';
import { removeEventCover, setEventCover } from '@/lib/events/cover';
import { etagOf } from '@/lib/events/queries';
import { isUuid } from '@/lib/ids';
import { methods } from '@/lib/http/methods';
import { COVER_MAX_BYTES, encodeCover } from '@/lib/media/image';

function eventIdOf(params: Record<string, string>): string {
  const id = params.id;
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  return id;
}

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/events/[id]/cover', {
  PUT: (route) => route
    .bytesBody({ limitBytes: COVER_MAX_BYTES })
    .idempotent()
    // JPEG, PNG or WebP, truly (else 400 UNSUPPORTED_IMAGE). Decoding and re-encoding is CPU work: done before the layer's transaction opens, holding no connection.
    .before(({ body }) => encodeCover(body.bytes, body.contentType))
    .handle(async ({ team, params, db, prepared }) => {
      const event = await setEventCover(db, { eventId: eventIdOf(params), teamId: team.id }, prepared);
      return { status: 200, data: { event }, headers: { ETag: etagOf(event.version) }, resource: { type: 'event', id: event.id } };
    }),

  DELETE: (route) => route
    .idempotent()
    .handle(async ({ team, params, db }) => {
      const event = await removeEventCover(db, { eventId: eventIdOf(params), teamId: team.id });
      return { status: 200, data: { event }, headers: { ETag: etagOf(event.version) }, resource: { type: 'event', id: event.id } };
    }),
});
