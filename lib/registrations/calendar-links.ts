// "Add to calendar" links for the guest (docs/api.md, calendar.ics): Google
// Calendar's and Outlook's "new event" pages, filled in. Both formats take
// the times in UTC (Google `YYYYMMDDTHHmmssZ/…`, Outlook ISO 8601 with Z);
// the guest's calendar shows them in the guest's own zone. Browser-safe.
import type { CalendarEvent } from '@/lib/events/calendar';

export type CalendarLinkEvent = Pick<CalendarEvent, 'title' | 'description' | 'startsAt' | 'endsAt' | 'location'>;

/** Calendar sites read the whole event from the URL; a long description is cut so the URL stays well under 2,000 characters. */
const DETAILS_MAX = 600;

function details(event: CalendarLinkEvent, pageUrl: string): string {
  const description = event.description.length > DETAILS_MAX ? `${event.description.slice(0, DETAILS_MAX)}…` : event.description;
  return description ? `${description}\n\n${pageUrl}` : pageUrl;
}

const place = (event: CalendarLinkEvent) => (event.location.type === 'online' ? event.location.url : event.location.address);

/** "20261216T072500Z" */
const googleTime = (iso: string) => new Date(iso).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** "2026-12-16T07:25:00Z" */
const isoSeconds = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}/, '');

export function googleCalendarUrl(event: CalendarLinkEvent, pageUrl: string): string {
  const url = new URL('https://calendar.google.com/calendar/render');
  url.searchParams.set('action', 'TEMPLATE');
  url.searchParams.set('text', event.title);
  url.searchParams.set('dates', `${googleTime(event.startsAt)}/${googleTime(event.endsAt)}`);
  url.searchParams.set('details', details(event, pageUrl));
  url.searchParams.set('location', place(event));
  return url.toString();
}

export function outlookCalendarUrl(event: CalendarLinkEvent, pageUrl: string): string {
  const url = new URL('https://outlook.live.com/calendar/0/action/compose');
  url.searchParams.set('rru', 'addevent');
  url.searchParams.set('subject', event.title);
  url.searchParams.set('startdt', isoSeconds(event.startsAt));
  url.searchParams.set('enddt', isoSeconds(event.endsAt));
  url.searchParams.set('body', details(event, pageUrl));
  url.searchParams.set('location', place(event));
  return url.toString();
}
