import { describe, expect, it } from 'vitest';
import type { EventDto } from './schemas';
import { changedFields, emptyEventFormValues, eventFormSchema, eventToFormValues, formFieldOf, valuesToInput } from './form';
import { instantToWallTime, timeZoneOptions, wallTimeToInstant } from './zoned-time';

const filled = {
  ...emptyEventFormValues('Asia/Kathmandu'),
  title: '  Spring meetup ',
  startsAt: '2027-03-01T18:00',
  endsAt: '2027-03-01T21:30',
  location: { type: 'in_person' as const, address: 'Durbar Marg 1', url: '' },
  maxParticipants: '25',
};

describe('zoned wall times', () => {
  it('reads a wall time in a zone with an odd offset', () => {
    expect(wallTimeToInstant('2027-03-01T18:00', 'Asia/Kathmandu')?.toISOString()).toBe('2027-03-01T12:15:00.000Z');
    expect(wallTimeToInstant('2027-01-10T09:00', 'America/St_Johns')?.toISOString()).toBe('2027-01-10T12:30:00.000Z');
    expect(wallTimeToInstant('2027-07-10T09:00', 'America/St_Johns')?.toISOString()).toBe('2027-07-10T11:30:00.000Z');
  });

  it('round-trips through the zone', () => {
    for (const zone of ['Asia/Kathmandu', 'America/St_Johns', 'Europe/Moscow', 'UTC', 'Pacific/Chatham']) {
      expect(instantToWallTime(wallTimeToInstant('2027-11-05T07:45', zone) ?? new Date(0), zone)).toBe('2027-11-05T07:45');
    }
  });

  it('resolves a time in the spring-forward gap after it and an overlap to the earlier instant', () => {
    expect(wallTimeToInstant('2027-03-28T02:30', 'Europe/Berlin')?.toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(wallTimeToInstant('2027-10-31T02:30', 'Europe/Berlin')?.toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });
});

describe('time zone options', () => {
  it('lists zones under their current names', () => {
    const zones = timeZoneOptions();
    expect(zones).toContain('Asia/Kathmandu');
    expect(zones).not.toContain('Asia/Katmandu');
    expect(zones).toContain('UTC');
  });
});

describe('event form', () => {
  it('converts valid values to the API body in UTC', () => {
    const parsed = eventFormSchema.safeParse(filled);
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    expect(valuesToInput(parsed.data)).toEqual({
      title: 'Spring meetup',
      description: '',
      startsAt: '2027-03-01T12:15:00.000Z',
      endsAt: '2027-03-01T15:45:00.000Z',
      timezone: 'Asia/Kathmandu',
      location: { type: 'in_person', address: 'Durbar Marg 1' },
      maxParticipants: 25,
      visibility: 'public',
      waitlist: true,
    });
    expect(valuesToInput(eventFormSchema.parse({ ...filled, waitlist: false })).waitlist).toBe(false);
  });

  it('reports issues as message keys on the form fields', () => {
    const parsed = eventFormSchema.safeParse({
      ...filled,
      title: 'ab',
      endsAt: '2027-03-01T17:00',
      location: { type: 'online', address: 'x', url: 'not a url' },
      maxParticipants: '2.5',
    });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const byPath = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
    expect(byPath).toMatchObject({
      title: 'titleLength',
      'location.url': 'url',
      maxParticipants: 'maxParticipants',
    });
  });

  it('requires the end after the start', () => {
    const parsed = eventFormSchema.safeParse({ ...filled, endsAt: '2027-03-01T17:00' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['endsAt', 'endsAfterStarts']]);
  });

  it('shows an event on the clocks of its own zone and converts back unchanged', () => {
    const event: EventDto = {
      id: 'e',
      slug: 'talk-0123456789ab',
      teamId: 'u',
      ownerId: 'u',
      title: 'Talk',
      description: 'd',
      startsAt: '2027-03-01T12:15:00.000Z',
      endsAt: '2027-03-01T15:45:00.000Z',
      timezone: 'Asia/Kathmandu',
      location: { type: 'online', url: 'https://example.com/x' },
      maxParticipants: 40,
      visibility: 'unlisted',
      status: 'published',
      waitlist: true,
      seats: { capacity: 40, confirmed: 0, waitlisted: 0, available: 40 },
      coverUrl: null,
      coverSize: null,
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const values = eventToFormValues(event);
    expect(values.startsAt).toBe('2027-03-01T18:00');
    expect(values.endsAt).toBe('2027-03-01T21:30');
    const parsed = eventFormSchema.parse(values);
    expect(changedFields(event, valuesToInput(parsed))).toEqual({});
    expect(changedFields(event, valuesToInput({ ...parsed, maxParticipants: 60 }))).toEqual({ maxParticipants: 60 });
    expect(values.waitlist).toBe(true);
    expect(changedFields(event, valuesToInput({ ...parsed, waitlist: false }))).toEqual({ waitlist: false });
  });

  it('maps server location errors to the visible location field', () => {
    expect(formFieldOf('location', 'online')).toBe('location.url');
    expect(formFieldOf('location.address', 'in_person')).toBe('location.address');
    expect(formFieldOf('endsAt', 'in_person')).toBe('endsAt');
  });
});
