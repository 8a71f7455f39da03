// Guests add the event to their calendar from /e/<slug> and
// /r/<token> (the .ics, Google Calendar, Outlook), and the organiser copies
// the public link. The server runs at TZ=Pacific/Chatham (scripts/e2e-server.ts),
// so the downloaded file proves the production build's conversion too.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { readIcs } from '../../tests/support/ics';
import { expect, test } from '../support/fixtures';
import { createEventViaApi, uniqueTitle } from './helpers';

// 13:10 to 14:45 in Kathmandu (UTC+05:45).
const startsAt = '2027-01-16T07:25:00.000Z';
const endsAt = '2027-01-16T09:00:00.000Z';

async function expectCalendarLinks(page: Page, title: string) {
  const section = page.getByTestId('add-to-calendar');
  await expect(section.getByRole('heading', { name: 'Add to calendar' })).toBeVisible();

  const download = page.waitForEvent('download');
  await section.getByTestId('calendar-ics').click();
  const file = await download;
  const ics = readIcs(await readFile((await file.path()) ?? '', 'utf8'));
  expect(ics.vtimezones).toEqual(['Asia/Kathmandu']);
  expect(ics.events[0]).toMatchObject({ summary: title, tzid: 'Asia/Kathmandu', startWall: '2027-01-16T13:10:00' });
  expect(ics.events[0]?.start.toISOString()).toBe(startsAt);
  expect(ics.events[0]?.end.toISOString()).toBe(endsAt);

  const google = new URL((await section.getByTestId('calendar-google').getAttribute('href')) ?? '');
  expect(google.hostname).toBe('calendar.google.com');
  expect(google.searchParams.get('dates')).toBe('20270116T072500Z/20270116T090000Z');
  expect(google.searchParams.get('text')).toBe(title);
  const outlook = new URL((await section.getByTestId('calendar-outlook').getAttribute('href')) ?? '');
  expect(outlook.hostname).toBe('outlook.live.com');
  expect(outlook.searchParams.get('startdt')).toBe('2027-01-16T07:25:00Z');
  expect(outlook.searchParams.get('enddt')).toBe('2027-01-16T09:00:00Z');
  for (const id of ['calendar-google', 'calendar-outlook']) {
    await expect(section.getByTestId(id)).toHaveAttribute('target', '_blank');
    await expect(section.getByTestId(id)).toHaveAttribute('rel', 'noopener noreferrer');
  }
}

test('a guest adds the event to a calendar from the public page and from the manage page', async ({ organiser: _organiser, api, browser, baseURL }) => {
  const title = uniqueTitle('Calendar night');
  const created = await createEventViaApi(api, { title, startsAt, endsAt, timezone: 'Asia/Kathmandu' });

  const guest = await browser.newContext({ baseURL, locale: 'en-US', acceptDownloads: true });
  const page = await guest.newPage();
  await page.goto(`/e/${created.slug}`);
  await expectCalendarLinks(page, title);

  await page.getByLabel('Name').fill('Cal Guest');
  await page.getByLabel('Email').fill(`cal-${Date.now()}@example.com`);
  await page.getByTestId('register-submit').click();
  await page.getByTestId('manage-link').click();
  await expect(page.getByTestId('registration-status')).toHaveText('Confirmed: you have a seat.');
  await expectCalendarLinks(page, title);

  // Cancelled: nothing to add any more.
  await page.getByTestId('cancel-registration').click();
  await page.getByTestId('manage-cancel-confirm').click();
  await expect(page.getByTestId('registration-status')).toHaveText('This registration is cancelled.');
  await expect(page.getByTestId('add-to-calendar')).toHaveCount(0);
  await guest.close();
});

test('the public page of a cancelled event offers no calendar entry', async ({ organiser: _organiser, api, page }) => {
  const created = await createEventViaApi(api, { startsAt, endsAt, timezone: 'Asia/Kathmandu' });
  await page.goto(`/e/${created.slug}`);
  await expect(page.getByTestId('add-to-calendar')).toBeVisible();
  const cancelled = await api.patch(`/api/events/${created.id}`, {
    headers: { 'Idempotency-Key': randomUUID(), 'If-Match': `"${created.version}"` },
    data: { status: 'cancelled' },
  });
  expect(cancelled.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId('event-cancelled')).toBeVisible();
  await expect(page.getByTestId('add-to-calendar')).toHaveCount(0);
});

test('the organiser copies the public link with the keyboard, in English and in Russian', async ({ organiser: _organiser, api, page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const created = await createEventViaApi(api);
  await page.goto(`/events/${created.id}`);

  await page.getByTestId('event-public-link').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('copy-public-link')).toBeFocused();
  await expect(page.getByTestId('copy-public-link')).toHaveText('Copy link');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('copy-public-link-status')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/e/${created.slug}`);

  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await page.reload();
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.getByRole('button', { name: 'Скопировать ссылку' }).click();
  await expect(page.getByTestId('copy-public-link-status')).toHaveText('Ссылка скопирована');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/e/${created.slug}`);
});
