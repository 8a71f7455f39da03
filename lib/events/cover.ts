// An event's cover image (docs/api.md, "Covers, public pages and the
// organiser's numbers"): the upload re-encoded (lib/media/image.ts), written
// to the media store under a content-hashed name, then named on the event in
// the idempotency layer's transaction. The file goes to the store before the
// row names it (a name no row points at is harmless; a row naming a missing
// file is not), and the old cover's file is deleted only after the change has
// committed, so a rollback never leaves the event pointing at nothing.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { afterCommit } from '@/lib/db/transaction';
import { events, type EventRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { describeError, logLine } from '@/lib/log';
import type { EncodedImage } from '@/lib/media/image';
import { mediaStorage } from '@/lib/media/storage';
import { emitWebhook } from '@/lib/webhooks/emit';
import { lockEvent, readEvent, toEventDto } from './event-row';
import type { EventDto } from './schemas';

type Owner = { eventId: string; teamId: string };

/** `covers/<event id>/<sha-256 of the WebP, 32 hex>.webp`: one name per content, never rewritten. */
export function coverNameOf(eventId: string, bytes: Uint8Array): string {
  return `covers/${eventId}/${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.webp`;
}

/** Deletes a file the event no longer names, once the change that dropped it has committed (a deleted draft's too). */
export function deleteAfterCommit(tx: Tx, previous: string | null, current: string | null): void {
  if (!previous || previous === current) return;
  afterCommit(tx, () => {
    mediaStorage()
      .delete(previous)
      .catch((error: unknown) => logLine('warn', 'media.delete_failed', { name: previous, cause: describeError(error).message }));
  });
}

async function writeCover(tx: Tx, current: EventRow, cover: { name: string; width: number; height: number } | null): Promise<EventDto> {
  const [row] = await tx
    .update(events)
    .set({
      coverName: cover?.name ?? null,
      coverWidth: cover?.width ?? null,
      coverHeight: cover?.height ?? null,
      version: sql`${events.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(events.id, current.id))
    .returning();
  if (!row) throw new Error('update of events returned no row');
  deleteAfterCommit(tx, current.coverName, row.coverName);
  const dto = toEventDto(row);
  await emitWebhook(tx, { teamId: row.teamId, type: 'event.updated', data: { event: dto } });
  return dto;
}

/** `PUT /api/events/:id/cover`: the owner's event gets this cover (404 for anyone else's, before anything is stored). */
export async function setEventCover(tx: Tx, { eventId, teamId }: Owner, image: EncodedImage): Promise<EventDto> {
  if (!(await readEvent(tx, { id: eventId, teamId }))) throw new AppError('NOT_FOUND');
  const name = coverNameOf(eventId, image.bytes);
  // Stored before the row is locked: the upload waits on the store, not every writer of the event.
  await mediaStorage().put(name, image.bytes, image.contentType);
  const current = await lockEvent(tx, { id: eventId, teamId });
  if (!current) throw new AppError('NOT_FOUND');
  return writeCover(tx, current, { name, width: image.width, height: image.height });
}

/** `DELETE /api/events/:id/cover`: the event loses its cover (already none: unchanged, same answer). */
export async function removeEventCover(tx: Tx, { eventId, teamId }: Owner): Promise<EventDto> {
  const current = await lockEvent(tx, { id: eventId, teamId });
  if (!current) throw new AppError('NOT_FOUND');
  if (current.coverName === null) return toEventDto(current);
  return writeCover(tx, current, null);
}
