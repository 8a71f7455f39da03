// The event as an iCalendar file (docs/api.md, calendar.ics): UID
// `<event id>@<app host name>` (the same from every instance), SEQUENCE the
// event's version, times in the event's zone with its VTIMEZONE.
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import type { PublicEventDto } from './schemas';

/** What the calendar file shows of an event (a PublicEventDto, or the outbox's snapshot of one). */
export type CalendarEvent = Pick<
  PublicEventDto,
  'id' | 'title' | 'description' | 'startsAt' | 'endsAt' | 'timezone' | 'location' | 'status' | 'version' | 'updatedAt'
>;

export function eventCalendar(event: CalendarEvent, hostName: string, pageUrl: string): string {
  const calendar = ical({ name: event.title, prodId: { company: 'event-app', product: 'events', language: 'EN' } });
  calendar.timezone({ name: event.timezone, generator: getVtimezoneComponent });
  calendar.createEvent({
    id: `${event.id}@${hostName}`,
    sequence: event.version,
    stamp: new Date(event.updatedAt),
    start: new Date(event.startsAt),
    end: new Date(event.endsAt),
    timezone: event.timezone,
    summary: event.title,
    description: event.description || undefined,
    location: event.location.type === 'online' ? event.location.url : event.location.address,
    url: pageUrl,
    status: event.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
