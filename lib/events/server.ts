// What server-rendered pages read about events, looked up at most once per
// request (React cache): generateMetadata and the page share one query.
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { readEvent, toEventDto } from './event-row';
import { isUuid } from '@/lib/ids';
import { listOwnEvents } from './queries';
import type { EventDto } from './schemas';

/** The event if the viewer owns it or it is published; null for anything else (a 404). */
export const visibleEvent = cache(async (eventId: string, viewerId: string): Promise<EventDto | null> => {
  if (!isUuid(eventId)) return null;
  const row = await readEvent(getDb(), { id: eventId, viewerId });
  return row ? toEventDto(row) : null;
});

export const ownEvents = cache((ownerId: string, limit: number) => listOwnEvents(getDb(), ownerId, { limit }));
