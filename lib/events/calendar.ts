// The event as an iCalendar file (docs/api.md, calendar.ics): UID
// `<event id>@<app host name>` (the same from every instance), SEQUENCE the
// event's version, DTSTART/DTEND as the wall-clock times of the event's own
// zone (`TZID=<zone>`) with that zone's VTIMEZONE, DTSTAMP in UTC.
//
// Two libraries, each for what it does well:
// - luxon DateTimes go to ical-generator, which converts them to the named
//   zone itself. A plain Date would be written with the process's own clock
//   fields under the event's TZID: the wrong hour on any server outside UTC.
// - timezones-ical-library has the VTIMEZONE of every IANA zone from current
//   tz data, compiled into its JavaScript (no files read at run time, so it
//   survives Next's server bundling), and resolves old names to current ones.
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import type { PublicEventDto } from './schemas';

/** What the calendar file shows of an event (a PublicEventDto, or the outbox's snapshot of one). */
export type CalendarEvent = Pick<
  PublicEventDto,
  'id' | 'title' | 'description' | 'startsAt' | 'endsAt' | 'timezone' | 'location' | 'status' | 'version' | 'updatedAt'
>;

type ZoneBlock = { tzid: string; vtimezone: string };

/**
 * The zone's VTIMEZONE and the TZID it declares (a current name: `Asia/Calcutta`
 * comes back as `Asia/Kolkata`), or null for UTC and for a zone the library
 * does not know: those times are written in UTC (`…Z`), which needs no VTIMEZONE.
 */
function zoneBlock(zone: string): ZoneBlock | null {
  if (zone === 'UTC' || zone === 'Etc/UTC') return null;
  const block = tzlib_get_ical_block(zone);
  if (!Array.isArray(block)) return null;
  const [vtimezone, tzidParameter] = block;
  const tzid = tzidParameter?.replace(/^TZID=/, '');
  return vtimezone && tzid ? { tzid, vtimezone } : null;
}

const instant = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

export function eventCalendar(event: CalendarEvent, hostName: string, pageUrl: string): string {
  const calendar = ical({ name: event.title, prodId: { company: 'event-app', product: 'events', language: 'EN' } });
  const zone = zoneBlock(event.timezone);
  // No calendar-wide zone (name null): ical-generator would write DTSTAMP in
  // it without a TZID, where RFC 5545 wants UTC. The generator still adds the
  // VTIMEZONE of every zone an event uses.
  if (zone) calendar.timezone({ name: null, generator: () => zone.vtimezone });
  calendar.createEvent({
    id: `${event.id}@${hostName}`,
    sequence: event.version,
    stamp: instant(event.updatedAt),
    start: instant(event.startsAt),
    end: instant(event.endsAt),
    timezone: zone?.tzid ?? null,
    summary: event.title,
    description: event.description || undefined,
    location: event.location.type === 'online' ? event.location.url : event.location.address,
    url: pageUrl,
    status: event.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
