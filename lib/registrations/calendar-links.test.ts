import { describe, expect, it } from 'vitest';
import { googleCalendarUrl, outlookCalendarUrl, type CalendarLinkEvent } from './calendar-links';

// 08:25 in Berlin, 13:10 in Kathmandu: the links carry the instant in UTC, whatever the zone.
const event: CalendarLinkEvent = {
  title: 'Tea & talks',
  description: 'Bring a cup',
  startsAt: '2026-12-16T07:25:00.000Z',
  endsAt: '2026-12-16T09:00:00.000Z',
  location: { type: 'in_person', address: 'Hall 1, Berlin' },
};
const page = 'https://events.example.com/e/tea';

describe('calendar links', () => {
  it('Google Calendar: a TEMPLATE with the UTC times, title, place and the page in the details', () => {
    const url = new URL(googleCalendarUrl(event, page));
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      action: 'TEMPLATE',
      text: 'Tea & talks',
      dates: '20261216T072500Z/20261216T090000Z',
      details: `Bring a cup\n\n${page}`,
      location: 'Hall 1, Berlin',
    });
  });

  it('Outlook: the compose page with ISO times in UTC', () => {
    const url = new URL(outlookCalendarUrl({ ...event, location: { type: 'online', url: 'https://meet.example/x' } }, page));
    expect(url.origin + url.pathname).toBe('https://outlook.live.com/calendar/0/action/compose');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      rru: 'addevent',
      subject: 'Tea & talks',
      startdt: '2026-12-16T07:25:00Z',
      enddt: '2026-12-16T09:00:00Z',
      location: 'https://meet.example/x',
    });
  });

  it('cuts a long description so the URL stays short, and keeps the page link', () => {
    const url = googleCalendarUrl({ ...event, description: 'x'.repeat(5000) }, page);
    expect(url.length).toBeLessThan(2000);
    expect(new URL(url).searchParams.get('details')?.endsWith(page)).toBe(true);
  });
});
