// What the public pages read, looked up at most once per request (React
// cache): generateMetadata and the page share one query.
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { registrationsCsv } from './csv';
import { listEventRegistrations } from './queries';
import type { PublicEventDto } from './schemas';
import { findPublicEvent, registrationByToken, toPublicEventDto, type ManagedRegistration } from './service';

/** The event behind /e/<slug> (published or cancelled); null for drafts and unknown slugs. */
export const publicEvent = cache(async (slug: string): Promise<PublicEventDto | null> => {
  const row = await findPublicEvent(getDb(), slug);
  return row ? toPublicEventDto(row) : null;
});

/** The registration behind /r/<token>, with its event; null for an unknown token. */
export const managedRegistration = cache((token: string): Promise<ManagedRegistration | null> => registrationByToken(getDb(), token));

/** Whether the event still takes registrations (and cancellations): published and not started. */
export function registrationOpen(event: PublicEventDto, now: number = Date.now()): boolean {
  return event.status === 'published' && Date.parse(event.startsAt) > now;
}

/** The owner's event's registrations as CSV (every one, oldest first); null when the event is not theirs. */
export async function registrationsCsvOf(eventId: string, ownerId: string): Promise<string | null> {
  const list = await listEventRegistrations(getDb(), eventId, ownerId, { limit: 1_000_000 });
  return list ? registrationsCsv(list.registrations) : null;
}
