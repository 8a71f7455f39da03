// What server-rendered pages read about events, looked up at most once per
// request (React cache): generateMetadata and the page share one query.
import 'server-only';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { requireSessionUser } from '@/lib/auth/server';
import type { AuthUser } from '@/lib/auth/types';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/pool';
import { events, profiles } from '@/lib/db/schema';
import { isUuid } from '@/lib/ids';
import type { EventRow } from '@/lib/db/schema';
import { readEvent, toEventDto } from './event-row';
import type { EventDto } from './schemas';

/** The row behind /e/<slug> (a public page: published or cancelled), read once per request by every part of the page (seats, ticket types, codes, questions). */
export const publicEventRow = cache((slug: string): Promise<EventRow | null> => readEvent(getDb(), { slug }));

/** The event if the viewer owns it or it is published; null for anything else (a 404). */
export const visibleEvent = cache(async (eventId: string, viewerId: string): Promise<EventDto | null> => {
  if (!isUuid(eventId)) return null;
  const row = await readEvent(getDb(), { id: eventId, viewerId });
  return row ? toEventDto(row) : null;
});

/**
 * The opening of a page only the event's organiser sees (`/events/<id>/<page>`):
 * the signed-in organiser, or a redirect to sign in and back to the page; then
 * their event, or a 404 for anyone else's, a draft of another or none at all.
 */
export async function ownEventPage(eventId: string, page: string): Promise<{ user: AuthUser; event: EventDto }> {
  const user = await requireSessionUser(`/events/${eventId}/${page}`);
  const event = await visibleEvent(eventId, user.id);
  if (!event || event.ownerId !== user.id) notFound();
  return { user, event };
}

/** The tab title of an organiser's page of an event: "<page>: <event>", or the page's title alone when the event is not there to see. */
export async function eventPageTitle(eventId: string, page: string, title: string): Promise<string> {
  const user = await requireSessionUser(`/events/${eventId}/${page}`);
  const event = await visibleEvent(eventId, user.id);
  return event ? `${title}: ${event.title}` : title;
}

/** The organiser's display name for an event's public page (their profile's name); null when they gave none. */
export const organiserNameOf = cache(async (eventId: string): Promise<string | null> => {
  if (!isUuid(eventId)) return null;
  const [row] = await getDb()
    .select({ name: profiles.name })
    .from(events)
    .innerJoin(profiles, eq(profiles.userId, events.ownerId))
    .where(eq(events.id, eventId))
    .limit(1);
  return row?.name?.trim() || null;
});
