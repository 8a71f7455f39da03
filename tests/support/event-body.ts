// A valid create body for tests that talk to the events API, starting 30 days out.
import type { CreateEventInput } from '@/lib/events/schemas';

const DAY = 24 * 3600 * 1000;

export type EventBody = Required<CreateEventInput>;

export function validEventBody(overrides: Partial<EventBody> = {}): EventBody {
  const starts = new Date(Date.now() + 30 * DAY);
  return {
    title: 'Spring meetup',
    description: 'Talks and tea',
    startsAt: starts.toISOString(),
    endsAt: new Date(starts.getTime() + 3 * 3600 * 1000).toISOString(),
    timezone: 'Europe/Moscow',
    location: { type: 'in_person', address: 'Tverskaya 1, Moscow' },
    maxParticipants: 20,
    visibility: 'public',
    waitlist: true,
    status: 'published',
    ...overrides,
  };
}
