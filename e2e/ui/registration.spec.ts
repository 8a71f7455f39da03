import type { APIRequestContext } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { createEventViaApi } from './helpers';

type EventJson = { id: string; slug: string; seats: { confirmed: number; waitlisted: number } };

async function eventOf(api: APIRequestContext, id: string): Promise<EventJson> {
  const body = (await (await api.get(`/api/events/${id}`)).json()) as { data: { event: EventJson } };
  return body.data.event;
}

test('a guest registers in English (a double click makes one registration), then cancels from the manage page', async ({
  page,
  organiser: _organiser,
  api,
  browser,
  baseURL,
}) => {
  const created = (await createEventViaApi(api, { title: 'Guest Night', maxParticipants: 5 }));
  await page.goto(`/events/${created.id}`);
  await expect(page.getByTestId('event-public-link')).toHaveText(`/e/${created.slug}`);

  const guest = await browser.newContext({ baseURL, locale: 'en-US' });
  const guestPage = await guest.newPage();
  await guestPage.goto(`/e/${created.slug}`);
  const guestCookie = (await guest.cookies()).find((c) => c.name === 'guest');
  expect(guestCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  await expect(guestPage.getByTestId('event-title')).toHaveText('Guest Night');
  await expect(guestPage.getByTestId('event-seats')).toHaveText('0 of 5 seats taken');

  // Invalid email: the error shows and the typed values stay.
  await guestPage.getByLabel('Name').fill('Grace Guest');
  await guestPage.getByLabel('Email').fill('not-an-email');
  await guestPage.getByTestId('register-submit').click();
  await expect(guestPage.getByTestId('email-error')).toBeVisible();
  await expect(guestPage.getByLabel('Name')).toHaveValue('Grace Guest');

  await guestPage.getByLabel('Email').fill('Grace@Example.com');
  await guestPage.getByTestId('register-submit').dblclick();
  await expect(guestPage.getByTestId('registration-result')).toContainText("You're registered.");
  expect((await eventOf(api, created.id)).seats.confirmed).toBe(1);

  await guestPage.getByTestId('manage-link').click();
  await expect(guestPage.getByTestId('registration-status')).toHaveText('Confirmed: you have a seat.');
  await guestPage.getByTestId('cancel-registration').click();
  await guestPage.getByTestId('manage-cancel-confirm').click();
  // (The "cancelled" notice is replaced as soon as the page re-reads, so only the lasting status is checked.)
  await expect(guestPage.getByTestId('registration-status')).toHaveText('This registration is cancelled.');
  expect((await eventOf(api, created.id)).seats.confirmed).toBe(0);
  await guest.close();
});

test('an unlisted event page says noindex; a draft has no public page', async ({ page, organiser: _organiser, api }) => {
  const unlisted = (await createEventViaApi(api, { visibility: 'unlisted' }));
  await page.goto(`/e/${unlisted.slug}`);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);
  await expect(page.locator('meta[property="og:title"]')).toHaveCount(1);

  const draft = (await createEventViaApi(api, { status: 'draft' }));
  const response = await page.goto(`/e/${draft.slug}`);
  expect(response?.status()).toBe(404);
});
