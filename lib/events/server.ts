// What server-rendered pages read about events, looked up at most once per
// request (React cache): generateMetadata and the page share one query.
import 'server-only';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { requireSessionUser } from '@/lib/auth/server';
import type { AuthUser } from '@/lib/auth/types';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/pool';
import { events, teams } from '@/lib/db/schema';
import type { TeamRole } from '@/lib/enums';
import { can, type Permission } from '@/lib/teams/permissions';
import { roleForEvent } from '@/lib/teams/server';
import { isUuid } from '@/lib/ids';
import type { EventRow } from '@/lib/db/schema';
import { readEvent, toEventDto } from './event-row';
import type { EventDto } from './schemas';

/** The row behind /e/<slug> (a public page: published or cancelled), read once per request by every part of the page (seats, ticket types, codes, questions). */
export const publicEventRow = cache((slug: string): Promise<EventRow | null> => readEvent(getDb(), { slug }));

/** The event if the user is a member of its team; null for anything else (a 404, as the API answers a stranger). */
export const visibleEvent = cache(async (eventId: string, userId: string): Promise<EventDto | null> => {
  if (!isUuid(eventId)) return null;
  const row = await readEvent(getDb(), { id: eventId, memberId: userId });
  return row ? toEventDto(row) : null;
});

/**
 * The opening of an organiser's page of an event (`/events/<id>/<page>`): the
 * signed-in user, or a redirect to sign in and back to the page; then the
 * event and their role in its team, or a 404 for a stranger or no event, and
 * for a member whose role lacks the page's permission (lib/teams/permissions.ts:
 * what a role cannot do is not offered).
 */
export async function ownEventPage(eventId: string, page: string, permission: Permission): Promise<{ user: AuthUser; event: EventDto; role: TeamRole }> {
  const user = await requireSessionUser(`/events/${eventId}/${page}`);
  const event = await visibleEvent(eventId, user.id);
  const access = event ? await roleForEvent(event.id, user.id) : null;
  if (!event || !access || !can(access.role, permission)) notFound();
  return { user, event, role: access.role };
}

/** The tab title of an organiser's page of an event: "<page>: <event>", or the page's title alone when the event is not there to see. */
export async function eventPageTitle(eventId: string, page: string, title: string): Promise<string> {
  const user = await requireSessionUser(`/events/${eventId}/${page}`);
  const event = await visibleEvent(eventId, user.id);
  return event ? `${title}: ${event.title}` : title;
}

/** The organiser's display name for an event's public page: its team's name. */
export const organiserNameOf = cache(async (eventId: string): Promise<string | null> => {
  if (!isUuid(eventId)) return null;
  const [row] = await getDb()
    .select({ name: teams.name })
    .from(events)
    .innerJoin(teams, eq(teams.id, events.teamId))
    .where(eq(events.id, eventId))
    .limit(1);
  return row?.name?.trim() || null;
});
