// What the public pages read, looked up at most once per request (React
// cache): generateMetadata and the page share one query.
import 'server-only';
import { publicEventRow } from '@/lib/events/server';
import { cache } from 'react';
import { clock } from '@/lib/clock';
import { getDb } from '@/lib/db/pool';
import { registrationsCsvStream } from './csv';
import { questionColumnsOf } from '@/lib/questions/questions';
import { listEventRegistrations, type ListRegistrationsQuery, type OrganiserRegistrationDto, type RegistrationList } from './queries';
import { seatsHeld, toPublicEventDto } from '@/lib/events/event-row';
import type { PublicEventDto } from '@/lib/events/schemas';
import { registrationAnswersByToken, registrationByToken, type ManagedRegistration } from './service';
import type { AnswerDto } from '@/lib/questions/schemas';

/** The event behind /e/<slug> (published or cancelled), its seats less live holds; null for drafts and unknown slugs. */
export const publicEvent = cache(async (slug: string): Promise<PublicEventDto | null> => {
  const db = getDb();
  const row = await publicEventRow(slug);
  return row ? toPublicEventDto(row, await seatsHeld(db, row.id)) : null;
});

/** The registration behind /r/<token>, with its event; null for an unknown token. */
export const managedRegistration = cache((token: string): Promise<ManagedRegistration | null> => registrationByToken(getDb(), token));

/** Whether the event still takes registrations (and cancellations): published and not started. */
export function registrationOpen(event: PublicEventDto, now: number = clock().now()): boolean {
  return event.status === 'published' && Date.parse(event.startsAt) > now;
}

/** Rows per query of the CSV export. */
const CSV_PAGE = 500;

/**
 * The owner's event's registrations as a CSV stream (every one, oldest
 * first), read a page at a time as the client takes the bytes; null when the
 * event is not theirs. Each page is its own short query (no transaction held
 * open while a slow client downloads), so a registration made during the
 * export appears if its page had not been read yet.
 */
export async function registrationsCsvOf(eventId: string, teamId: string): Promise<ReadableStream<Uint8Array> | null> {
  const db = getDb();
  const first = await listEventRegistrations(db, eventId, teamId, { limit: CSV_PAGE });
  if (!first) return null;
  async function* pages(): AsyncGenerator<OrganiserRegistrationDto[]> {
    let page: RegistrationList | null = first;
    while (page) {
      yield page.registrations;
      const cursor: string | null = page.nextCursor;
      page = cursor ? await listEventRegistrations(db, eventId, teamId, { limit: CSV_PAGE, cursor }) : null;
    }
  }
  return registrationsCsvStream(pages(), await questionColumnsOf(db, eventId));
}

/** One page of the owner's event's registrations for /events/[id]/attendees; null when the event is not theirs. */
export function attendeePage(eventId: string, teamId: string, query: ListRegistrationsQuery): Promise<RegistrationList | null> {
  return listEventRegistrations(getDb(), eventId, teamId, query);
}

/** The answers behind /r/<token>, as they were given; null for an unknown token. */
export const registrationAnswers = cache((token: string): Promise<AnswerDto[] | null> => registrationAnswersByToken(getDb(), token));
