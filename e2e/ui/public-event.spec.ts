// The remaining checks of the public pages (registration.spec.ts has
// the English registration, the double click and the cancel): a guest in
// Russian, a dropped answer retried with the same key onto the waitlist, the
// promotion seen on the manage page, 390 px without horizontal scroll, and
// reading without JavaScript.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { createEventViaApi } from './helpers';

type Created = { registration: { status: string; position: number | null }; manageUrl: string };

async function registerViaApi(api: APIRequestContext, slug: string, name: string, email: string): Promise<Created> {
  const res = await api.post(`/api/public/events/${slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name, email },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { data: Created }).data;
}

async function seatsOf(api: APIRequestContext, id: string) {
  const body = (await (await api.get(`/api/events/${id}`)).json()) as { data: { event: { seats: { confirmed: number; waitlisted: number } } } };
  return body.data.event.seats;
}

/** What sticks out to the right of the viewport (empty when the page has no horizontal scroll). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${el.className}`);
  });
}

test('a guest switches the page to Russian and registers: labels, seats and the answer in Russian', async ({
  organiser: _organiser,
  api,
  browser,
  baseURL,
}) => {
  const event = await createEventViaApi(api, { title: 'Вечер гостей', maxParticipants: 5 });
  const guest = await browser.newContext({ baseURL, locale: 'en-US' });
  const page = await guest.newPage();
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('register-submit')).toHaveText('Register');
  // The header's switch (lib/i18n: the NEXT_LOCALE cookie, then Accept-Language).
  await page.getByRole('button', { name: 'RU – Русский' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  expect((await guest.cookies()).find((c) => c.name === 'NEXT_LOCALE')?.value).toBe('ru');
  await expect(page.getByRole('heading', { name: 'Регистрация' })).toBeVisible();
  await expect(page.getByTestId('event-seats')).toHaveText('Занято мест: 0 из 5');
  await expect(page.getByTestId('event-availability')).toHaveText('Осталось 5 мест');
  await expect(page.getByTestId('register-submit')).toHaveText('Зарегистрироваться');

  // A validation error in Russian, the typed name kept.
  await page.getByLabel('Имя').fill('Анна Гостева');
  await page.getByLabel('Эл. почта').fill('не-почта');
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('email-error')).toBeVisible();
  await expect(page.getByTestId('email-error')).toHaveText(/[а-яё]/i);
  await expect(page.getByLabel('Имя')).toHaveValue('Анна Гостева');

  await page.getByLabel('Эл. почта').fill('anna@example.com');
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('registration-result')).toContainText('Вы зарегистрированы.');
  await expect(page.getByTestId('manage-link')).toHaveText('Управление регистрацией');
  await page.getByTestId('manage-link').click();
  await expect(page.getByTestId('registration-status')).toHaveText('Подтверждено: место за вами.');
  await expect(page.getByTestId('cancel-registration')).toHaveText('Отменить регистрацию');
  expect((await seatsOf(api, event.id)).confirmed).toBe(1);
  await guest.close();
});

test('a dropped answer is retried with the same key onto the waitlist; a cancellation promotes the guest, seen on the manage page', async ({
  organiser: _organiser,
  api,
  browser,
  baseURL,
}) => {
  const event = await createEventViaApi(api, { title: 'One seat', maxParticipants: 1 });
  const first = await registerViaApi(api, event.slug, 'First Comer', 'first@example.com');
  expect(first.registration.status).toBe('confirmed');

  const guest = await browser.newContext({ baseURL, locale: 'en-US' });
  const page = await guest.newPage();
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('event-availability')).toHaveText('This event is full. You can join the waitlist (0 waiting).');
  await expect(page.getByTestId('register-submit')).toHaveText('Join the waitlist');

  // The first attempt reaches the server and commits; the browser sees the
  // connection drop instead of the answer, and the form retries by itself.
  const keys: string[] = [];
  let dropped = false;
  await page.route(`**/api/public/events/${event.slug}/registrations`, async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (dropped) return route.continue();
    dropped = true;
    const answer = await route.fetch();
    expect(answer.status()).toBe(201);
    await route.abort('connectionreset');
  });
  const replayed = page.waitForResponse((r) => r.url().endsWith('/registrations') && r.request().method() === 'POST');
  await page.getByLabel('Name').fill('Second Comer');
  await page.getByLabel('Email').fill('second@example.com');
  await page.getByTestId('register-submit').click();
  expect((await replayed).headers()['x-idempotency-replay']).toBe('true');
  await expect(page.getByTestId('registration-result')).toContainText("You're on the waitlist: position 1.");
  expect(keys.length).toBe(2);
  expect(new Set(keys).size).toBe(1);
  expect(await seatsOf(api, event.id)).toMatchObject({ confirmed: 1, waitlisted: 1 });

  await page.getByTestId('manage-link').click();
  await expect(page.getByTestId('registration-status')).toHaveText('On the waitlist: position 1.');
  const manageUrl = page.url();

  // The first comer cancels on their own manage page; the guest is promoted.
  const other = await guest.newPage();
  await other.goto(first.manageUrl);
  await other.getByTestId('cancel-registration').click();
  await other.getByTestId('manage-cancel-confirm').click();
  await expect(other.getByTestId('registration-status')).toHaveText('This registration is cancelled.');
  await page.goto(manageUrl);
  await expect(page.getByTestId('registration-status')).toHaveText('Confirmed: you have a seat.');
  expect(await seatsOf(api, event.id)).toMatchObject({ confirmed: 1, waitlisted: 0 });
  await guest.close();
});

test('the event page fits 390 px without horizontal scroll, open and full', async ({ organiser: _organiser, api, browser, baseURL }) => {
  const event = await createEventViaApi(api, {
    title: 'A rather long event title with Averyveryverylongwordthatdoesnotbreakeasily in it',
    description: 'Line one\nhttps://example.com/a/very/long/link/that/keeps/going/and/going/without/any/spaces/at/all',
    maxParticipants: 1,
  });
  const guest = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, locale: 'ru-RU' });
  const page = await guest.newPage();
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('register-form')).toBeVisible();
  expect(await overflowing(page)).toEqual([]);
  await registerViaApi(api, event.slug, 'Taker', 'taker@example.com');
  await page.reload();
  await expect(page.getByTestId('register-submit')).toHaveText('Встать в лист ожидания');
  expect(await overflowing(page)).toEqual([]);
  await guest.close();
});

test('reading works without JavaScript: title, time and seats are in the server HTML', async ({ organiser: _organiser, api, browser, baseURL }) => {
  const event = await createEventViaApi(api, { title: 'No script night', maxParticipants: 7 });
  await registerViaApi(api, event.slug, 'Early', 'early@example.com');
  const guest = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: 'en-US' });
  const page = await guest.newPage();
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('event-title')).toHaveText('No script night');
  await expect(page.getByText('When')).toBeVisible();
  await expect(page.getByText(/Times are shown in/)).toBeVisible();
  await expect(page.getByTestId('event-seats')).toHaveText('1 of 7 seats taken');
  await expect(page.getByTestId('event-availability')).toHaveText('6 seats left');
  await guest.close();
});
