// The calendar file from the production build (`next build`, `next start`),
// on a server whose own clock is far from UTC (TZ=Pacific/Chatham, +13:45):
// the public calendar.ics and the event.ics attached to the confirmation mail
// (rendered by the instance's own mail worker) give the guest the event's
// instants, in the event's zone, with its VTIMEZONE. Read back with ical.js,
// through the file's own VTIMEZONE only (tests/support/ics.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../lib/mail/catcher';
import { readIcs } from '../support/ics';
import { TEST_TIME_ZONE } from '../setup/time-zone';
import { eventBody, request, signUp, type Organiser } from './harness/client';
import type { AppInstance } from './harness/instances';
import { startScenario, type Scenario } from './harness/scenario';

let scenario: Scenario;
let app: AppInstance;
let organiser: Organiser;
let smtp: MailCatcher;

beforeAll(async () => {
  smtp = await startMailCatcher();
  scenario = await startScenario('calendar', {
    instances: [{ name: 'a', env: { TZ: TEST_TIME_ZONE, SMTP_URL: smtp.url, APP_ORIGIN: 'http://events.test', OUTBOX_POLL_MS: '100' } }],
  });
  app = scenario.instances[0] as AppInstance;
  organiser = await signUp(app.url, 'Calendar Organiser');
});

afterAll(async () => {
  await scenario?.close();
  await smtp?.close();
});

async function createEvent(timezone: string, startsAt: string, endsAt: string): Promise<string> {
  const res = await request(app.url, 'POST', '/api/events', {
    cookie: organiser.cookie,
    key: randomUUID(),
    body: eventBody({ title: `Calendar ${timezone}`, timezone, startsAt, endsAt }),
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as { data: { event: { slug: string } } }).data.event.slug;
}

describe('calendar.ics from the production build', () => {
  it.each([
    ['Asia/Kathmandu', '2027-01-16T07:25:00.000Z', '2027-01-16T09:00:00.000Z', '2027-01-16T13:10:00'],
    ['America/St_Johns', '2027-01-16T07:25:00.000Z', '2027-01-16T09:00:00.000Z', '2027-01-16T03:55:00'],
    // Across Berlin's change to summer time on 28 March 2027: 23:00 CET to 11:00 CEST.
    ['Europe/Berlin', '2027-03-27T22:00:00.000Z', '2027-03-28T09:00:00.000Z', '2027-03-27T23:00:00'],
  ])('an event in %s: the route and the mail attachment give the same instants, in the zone, with its VTIMEZONE', async (zone, startsAt, endsAt, wall) => {
    const slug = await createEvent(zone, startsAt, endsAt);
    const route = await request(app.url, 'GET', `/api/public/events/${slug}/calendar.ics`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/calendar');

    const email = `guest-${randomUUID().slice(0, 8)}@example.com`;
    const registered = await request(app.url, 'POST', `/api/public/events/${slug}/registrations`, {
      key: randomUUID(),
      body: { name: 'Guest', email, locale: 'en' },
    });
    expect(registered.status, registered.text).toBe(201);
    const deadline = Date.now() + 20_000;
    while (!smtp.messages.some((m) => m.to.includes(email)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const attachment = smtp.messages.find((m) => m.to.includes(email))?.attachments.find((a) => a.filename === 'event.ics');
    expect(attachment, 'the confirmation mail carries event.ics').toBeDefined();

    for (const text of [route.text, attachment?.content ?? '']) {
      expect(text).toContain(`DTSTART;TZID=${zone}:${wall.replaceAll('-', '').replaceAll(':', '')}`);
      const file = readIcs(text);
      expect(file.vtimezones).toEqual([zone]);
      expect(file.events).toHaveLength(1);
      expect(file.events[0]).toMatchObject({ tzid: zone, startWall: wall });
      expect(file.events[0]?.start.toISOString()).toBe(startsAt);
      expect(file.events[0]?.end.toISOString()).toBe(endsAt);
    }
  });
});
