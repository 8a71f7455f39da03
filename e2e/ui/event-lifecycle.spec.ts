import { randomUUID } from 'node:crypto';
import { request as playwrightRequest } from '@playwright/test';
import { clientAddress, expect as baseExpect, test } from '../support/fixtures';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { EventPage } from '../pages/event-page.po';
import { createEventViaApi, uniqueTitle } from './helpers';

// Page updates after a search or an action wait on a server render; the machine is shared, so allow for it.
const expect = baseExpect.configure({ timeout: 15_000 });

// Each test drives several pages (and guests beside the organiser) on a machine shared with other runs.
test.slow();

test('a draft saved from the form is published from its page', async ({ page, organiser: _organiser, api }) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Draft first');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(5), endsAt: futureWallTime(5, '20:00'), maxParticipants: 10 });
  await form.saveDraftButton().click();
  const id = await form.expectLandedOnEvent();
  const event = new EventPage(page);
  await expect(event.status()).toHaveText('Draft');
  await expect(page.getByTestId('event-draft-notice')).toBeVisible();
  await expect(page.getByTestId('event-public-link')).toHaveCount(0);

  await event.publishButton().click();
  await expect(event.status()).toHaveText('Published');
  await expect(event.publishButton()).toHaveCount(0);
  const body = (await (await api.get(`/api/events/${id}`)).json()) as { data: { event: { status: string; slug: string } } };
  expect(body.data.event.status).toBe('published');
  const publicPage = await page.goto(`/e/${body.data.event.slug}`);
  expect(publicPage?.status()).toBe(200);
});

test('a draft is deleted after confirming, and the list says so', async ({ page, organiser: _organiser, api }) => {
  const draft = await createEventViaApi(api, { status: 'draft', title: uniqueTitle('Doomed draft') });
  const event = new EventPage(page);
  await event.goto(draft.id);
  await (await event.deleteButton()).click();
  await expect(event.dialog()).toContainText(draft.title);
  // Escape keeps it, and the focus goes back to the menu's button.
  await page.keyboard.press('Escape');
  await expect(event.dialog()).toBeHidden();
  await expect(event.moreButton()).toBeFocused();
  expect((await api.get(`/api/events/${draft.id}`)).status()).toBe(200);

  await (await event.deleteButton()).click();
  await event.confirmInDialog('Delete draft').click();
  await page.waitForURL(/\/events\?deleted=1$/);
  await expect(page.getByTestId('event-deleted-notice')).toHaveText('Draft deleted.');
  expect((await api.get(`/api/events/${draft.id}`)).status()).toBe(404);
});

test('a published event is cancelled: its page and the public page say so, and registration closes', async ({
  page,
  organiser: _organiser,
  api,
  baseURL,
}) => {
  const published = await createEventViaApi(api, { title: uniqueTitle('Rained out') });
  const event = new EventPage(page);
  await event.goto(published.id);
  await (await event.cancelEventButton()).click();
  await expect(event.dialog()).toContainText('registration closes');
  await event.confirmInDialog('Cancel event').click();
  await expect(event.status()).toHaveText('Cancelled');
  await expect(page.getByTestId('event-cancelled-notice')).toHaveText('Event cancelled. Registration is closed.');
  await expect(event.moreButton()).toHaveCount(0);

  await page.goto(`/e/${published.slug}`);
  await expect(page.getByTestId('event-cancelled')).toHaveText('This event has been cancelled.');
  await expect(page.getByTestId('register-form')).toHaveCount(0);
  const guest = await playwrightRequest.newContext({ baseURL });
  const refused = await guest.post(`/api/public/events/${published.slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID(), 'X-Forwarded-For': clientAddress() },
    data: { name: 'Late Larry', email: 'larry@example.com' },
  });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('REGISTRATION_CLOSED');
  await guest.dispose();
});

test('cancelling an event changed elsewhere answers VERSION_CONFLICT and offers a reload', async ({ page, organiser: _organiser, api }) => {
  const published = await createEventViaApi(api);
  const event = new EventPage(page);
  await event.goto(published.id);
  const edited = await api.patch(`/api/events/${published.id}`, {
    headers: { 'Idempotency-Key': randomUUID(), 'If-Match': `"${published.version}"` },
    data: { description: 'Changed in another tab' },
  });
  expect(edited.status()).toBe(200);
  await (await event.cancelEventButton()).click();
  await event.confirmInDialog('Cancel event').click();
  await expect(event.dialog().getByTestId('event-action-error')).toContainText('changed elsewhere');
  await event.dialog().getByRole('button', { name: 'Reload', exact: true }).click();
  await expect(event.dialog()).toBeHidden();
  await expect(page.getByTestId('event-description')).toHaveText('Changed in another tab');
  await (await event.cancelEventButton()).click();
  await event.confirmInDialog('Cancel event').click();
  await expect(event.status()).toHaveText('Cancelled');
});

test('with "Waitlist when full" off, a full event answers EVENT_FULL on the public page', async ({ page, organiser: _organiser, browser, baseURL }) => {
  const form = new EventFormPage(page);
  await form.gotoNew();
  await expect(form.waitlistCheckbox()).toBeChecked();
  await form.fill({ title: uniqueTitle('No waitlist'), startsAt: futureWallTime(6), endsAt: futureWallTime(6, '20:00'), maxParticipants: 1, waitlist: false });
  await form.submitButton().click();
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-waitlist')).toHaveText('No waitlist');
  const slug = (await page.getByTestId('event-public-link').textContent())?.replace('/e/', '') ?? '';

  // The guest opens the page while a seat is free; someone else takes it before they send.
  const guestContext = await browser.newContext({ baseURL, locale: 'en-US' });
  const guestPage = await guestContext.newPage();
  await guestPage.goto(`/e/${slug}`);
  await expect(guestPage.getByTestId('register-form')).toBeVisible();
  const other = await playwrightRequest.newContext({ baseURL });
  const taken = await other.post(`/api/public/events/${slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID(), 'X-Forwarded-For': clientAddress() },
    data: { name: 'First Fran', email: 'fran@example.com' },
  });
  expect(taken.status()).toBe(201);
  await other.dispose();

  await guestPage.getByLabel('Name').fill('Second Sam');
  await guestPage.getByLabel('Email').fill('sam@example.com');
  await guestPage.getByTestId('register-submit').click();
  // The EVENT_FULL answer refreshes the page's seats: the form gives way to "full, no waitlist" without a reload.
  await expect(guestPage.getByTestId('registration-full')).toHaveText('This event is full and has no waitlist.');
  await expect(guestPage.getByTestId('register-form')).toHaveCount(0);
  await guestPage.reload();
  await expect(guestPage.getByTestId('registration-full')).toHaveText('This event is full and has no waitlist.');
  await guestContext.close();
});
