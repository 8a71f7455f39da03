// The calendar file read back as a calendar client reads it (ical.js, with
// only the file's own VTIMEZONEs): the instants must be the event's, whatever
// zone this process runs in (vitest.config.ts sets TZ to Pacific/Chatham,
// +13:45, so a time written with the process's clock fields cannot pass).
import { describe, expect, it } from 'vitest';
import { readIcs } from '@/tests/support/ics';
import { eventCalendar, type CalendarEvent } from './calendar';

const base: CalendarEvent = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  title: 'Morning talk',
  description: '',
  startsAt: '2026-12-16T07:25:00.000Z',
  endsAt: '2026-12-16T09:00:00.000Z',
  timezone: 'Europe/Berlin',
  location: { type: 'in_person', address: 'Hall 1' },
  status: 'published',
  version: 2,
  updatedAt: '2026-12-01T10:00:00.000Z',
};

function calendarFor(overrides: Partial<CalendarEvent>) {
  const event = { ...base, ...overrides };
  const file = readIcs(eventCalendar(event, 'events.example.com', 'https://events.example.com/e/x'));
  expect(file.events).toHaveLength(1);
  const [only] = file.events;
  if (!only) throw new Error('no VEVENT');
  return { file, event: only, input: event };
}

describe('eventCalendar', () => {
  it('runs in a process that is not on UTC (else these tests could pass by luck)', () => {
    expect(new Date('2026-12-16T07:25:00Z').getTimezoneOffset()).not.toBe(0);
  });

  it.each([
    // zone, start (UTC), the wall clock the guest's calendar must show
    ['Europe/Berlin', '2026-12-16T07:25:00.000Z', '2026-12-16T08:25:00'],
    ['Asia/Kathmandu', '2026-12-16T07:25:00.000Z', '2026-12-16T13:10:00'],
    ['America/St_Johns', '2026-12-16T07:25:00.000Z', '2026-12-16T03:55:00'],
    ['America/St_Johns', '2026-07-16T07:25:00.000Z', '2026-07-16T04:55:00'],
    ['Asia/Calcutta', '2026-12-16T07:25:00.000Z', '2026-12-16T12:55:00'],
  ])('writes DTSTART in %s as that zone’s wall clock, with its VTIMEZONE', (zone, startsAt, wall) => {
    const endsAt = new Date(Date.parse(startsAt) + 95 * 60_000).toISOString();
    const { file, event } = calendarFor({ timezone: zone, startsAt, endsAt });
    const tzid = zone === 'Asia/Calcutta' ? 'Asia/Kolkata' : zone; // the current name, which the VTIMEZONE declares
    expect(event.tzid).toBe(tzid);
    expect(event.startWall).toBe(wall);
    expect(file.vtimezones).toEqual([tzid]);
    expect(event.start.toISOString()).toBe(startsAt);
    expect(event.end.toISOString()).toBe(endsAt);
  });

  it('keeps both ends right for an event across a DST change (Berlin, night of 25 October 2026)', () => {
    // 22:00 CEST (UTC+2) on the 24th to 10:00 CET (UTC+1) on the 25th: 13 hours.
    const { event } = calendarFor({ startsAt: '2026-10-24T20:00:00.000Z', endsAt: '2026-10-25T09:00:00.000Z' });
    expect(event.startWall).toBe('2026-10-24T22:00:00');
    expect(event.start.toISOString()).toBe('2026-10-24T20:00:00.000Z');
    expect(event.end.toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('keeps both ends right across the spring change in America/St_Johns', () => {
    const { event } = calendarFor({
      timezone: 'America/St_Johns',
      startsAt: '2026-03-07T23:00:00.000Z',
      endsAt: '2026-03-08T15:00:00.000Z',
    });
    expect(event.startWall).toBe('2026-03-07T19:30:00');
    expect(event.end.toISOString()).toBe('2026-03-08T15:00:00.000Z');
  });

  it('writes an event in UTC as UTC times (…Z), which need no VTIMEZONE', () => {
    const text = eventCalendar({ ...base, timezone: 'UTC' }, 'events.example.com', 'https://events.example.com/e/x');
    expect(text).toContain('DTSTART:20261216T072500Z');
    expect(text).not.toContain('VTIMEZONE');
    const { event } = calendarFor({ timezone: 'UTC' });
    expect(event.start.toISOString()).toBe(base.startsAt);
  });

  it('writes DTSTAMP in UTC, and UID, SEQUENCE and STATUS from the event', () => {
    const text = eventCalendar({ ...base, timezone: 'Asia/Kathmandu', status: 'cancelled' }, 'events.example.com', 'https://x');
    expect(text).toContain('DTSTAMP:20261201T100000Z');
    const { event } = calendarFor({ status: 'cancelled' });
    expect(event).toMatchObject({ uid: `${base.id}@events.example.com`, sequence: 2, status: 'CANCELLED', summary: 'Morning talk' });
  });

  it('gives a VTIMEZONE with the zone’s current rules (Mexico City has had no DST since 2022)', () => {
    const text = eventCalendar({ ...base, timezone: 'America/Mexico_City' }, 'h', 'https://x');
    const vtimezone = text.slice(text.indexOf('BEGIN:VTIMEZONE'), text.indexOf('END:VTIMEZONE'));
    expect(vtimezone).toContain('TZID:America/Mexico_City');
    expect(vtimezone).not.toContain('BEGIN:DAYLIGHT');
    const { event } = calendarFor({ timezone: 'America/Mexico_City', startsAt: '2026-07-16T07:25:00.000Z', endsAt: '2026-07-16T09:00:00.000Z' });
    expect(event.startWall).toBe('2026-07-16T01:25:00');
  });
});
