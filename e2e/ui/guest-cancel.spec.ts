// A guest changes their mind (issue 34): a free registration is cancelled
// behind a confirm dialog, with "Register again" afterwards; a ticket order's
// "Cancel payment" says "cancelled by you" (not "your hold expired"), offers
// "Choose tickets again" and mails nothing. In English at 1280 px and in
// Russian at 390 px; a failure shows our words for its code, never the
// server's sentence.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { withReadOnlyDb } from '../support/chaos';
import { expect, test } from '../support/fixtures';
import { TestPaymentPage, TicketPickerPage } from '../pages/tickets.po';
import { createEventViaApi } from './helpers';

const PHONE = { width: 390, height: 844 };

const WORDS = {
  en: {
    locale: 'en-US',
    viewport: { width: 1280, height: 800 },
    cancel: 'Cancel my registration',
    keep: 'Keep my registration',
    confirmed: 'Confirmed: you have a seat.',
    cancelled: 'This registration is cancelled.',
    registerAgain: 'Register again',
    closedError: 'Registration for this event is closed.',
    nameLabel: 'Name',
    emailLabel: 'Email',
    cancelledByYou: 'You cancelled this order.',
    chooseAgain: 'Choose tickets again',
  },
  ru: {
    locale: 'ru-RU',
    viewport: PHONE,
    cancel: 'Отменить регистрацию',
    keep: 'Оставить регистрацию',
    confirmed: 'Подтверждено: место за вами.',
    cancelled: 'Регистрация отменена.',
    registerAgain: 'Зарегистрироваться снова',
    closedError: 'Регистрация на это событие закрыта.',
    nameLabel: 'Имя',
    emailLabel: 'Эл. почта',
    cancelledByYou: 'Вы отменили этот заказ.',
    chooseAgain: 'Выбрать билеты снова',
  },
} as const;

async function register(api: APIRequestContext, slug: string, email: string): Promise<string> {
  const response = await api.post(`/api/public/events/${slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Changing Mind', email },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { data: { manageUrl: string } }).data.manageUrl;
}

async function guestPage(browser: Browser, baseURL: string | undefined, words: (typeof WORDS)[keyof typeof WORDS]) {
  const context = await browser.newContext({ baseURL, locale: words.locale, viewport: words.viewport });
  return { context, page: await context.newPage() };
}

/** Whether the element lies inside the page's width (nothing cut off on a phone). */
async function insideViewport(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  return box !== null && box.x >= 0 && box.x + box.width <= width;
}

for (const [lang, words] of Object.entries(WORDS)) {
  test(`a free registration is cancelled behind a dialog, then "Register again" leads back to the event (${lang}, ${words.viewport.width} px)`, async ({
    api,
    browser,
    baseURL,
    organiser: _organiser,
  }) => {
    const event = await createEventViaApi(api, { maxParticipants: 3 });
    const manageUrl = await register(api, event.slug, `leaving-${randomUUID().slice(0, 8)}@example.com`);
    const { context, page } = await guestPage(browser, baseURL, words);
    await page.goto(manageUrl);
    await expect(page.getByTestId('registration-status')).toHaveText(words.confirmed);

    // Not a full-width red button: a quiet one that fits the page.
    const button = page.getByTestId('cancel-registration');
    await expect(button).toHaveText(words.cancel);
    expect(await insideViewport(page, 'cancel-registration')).toBe(true);
    const buttonBox = await button.boundingBox();
    expect(buttonBox?.width ?? 0).toBeLessThan(words.viewport.width * 0.9);

    // Keep: nothing happens, the focus goes back to the button.
    await button.click();
    const dialog = page.getByTestId('manage-cancel-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: words.keep })).toBeFocused();
    await dialog.getByRole('button', { name: words.keep }).click();
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
    await expect(page.getByTestId('registration-status')).toHaveText(words.confirmed);

    // Confirm: cancelled, and a way back to the event.
    await button.click();
    await page.getByTestId('manage-cancel-confirm').click();
    await expect(page.getByTestId('registration-status')).toHaveText(words.cancelled);
    await expect(page.getByTestId('cancel-registration')).toHaveCount(0);
    const again = page.getByRole('link', { name: words.registerAgain });
    await expect(again).toHaveAttribute('href', `/e/${event.slug}`);
    await again.click();
    await page.waitForURL(`**/e/${event.slug}`);
    await expect(page.getByTestId('register-submit')).toBeVisible();
    await context.close();
  });

  test(`a failed cancel shows our words for its code, not the server's message (${lang})`, async ({ api, browser, baseURL, organiser: _organiser }) => {
    const event = await createEventViaApi(api, { maxParticipants: 3 });
    const manageUrl = await register(api, event.slug, `stuck-${randomUUID().slice(0, 8)}@example.com`);
    const { context, page } = await guestPage(browser, baseURL, words);
    await page.goto(manageUrl);
    await expect(page.getByTestId('cancel-registration')).toBeEnabled();
    // The server answers with its code and a sentence of its own; the page must say ours.
    await page.route(`**/api/public/registrations/*/cancel`, (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ success: false, error: { code: 'REGISTRATION_CLOSED', message: 'RAW SERVER SENTENCE' } }),
      }),
    );
    await page.getByTestId('cancel-registration').click();
    await page.getByTestId('manage-cancel-confirm').click();
    const error = page.getByTestId('manage-cancel-dialog').getByTestId('form-error');
    await expect(error).toHaveText(words.closedError);
    await expect(page.getByText('RAW SERVER SENTENCE')).toHaveCount(0);
    await context.close();
  });

  test(`"Cancel payment" on a ticket order says cancelled by you, offers to choose tickets again, and mails nothing (${lang}, ${words.viewport.width} px)`, async ({
    api,
    browser,
    baseURL,
    organiser: _organiser,
  }) => {
    const event = await createEventViaApi(api, { maxParticipants: 10 });
    const type = await api.post(`/api/events/${event.id}/ticket-types`, {
      headers: { 'Idempotency-Key': randomUUID() },
      data: { name: 'Standard', price: { amount: 2500, currency: 'EUR' } },
    });
    expect(type.status()).toBe(201);
    const { context, page } = await guestPage(browser, baseURL, words);
    const picker = new TicketPickerPage(page);
    await picker.goto(event.slug);
    await picker.choose('Standard', 2);
    await picker.fillBuyer({ name: 'Changing Mind', email: `changed-${randomUUID().slice(0, 8)}@example.com`, nameLabel: words.nameLabel, emailLabel: words.emailLabel });
    await picker.submitButton().click();
    await page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/);

    await new TestPaymentPage(page).cancelButton().click();
    await page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\?state=cancelled$/);
    await expect(page.getByTestId('order-page')).toHaveAttribute('data-order-status', 'cancelled');
    await expect(page.getByTestId('order-cancelled')).toContainText(words.cancelledByYou);
    await expect(page.getByTestId('order-expired')).toHaveCount(0);
    await expect(page.getByTestId('payment-pending')).toHaveCount(0);
    const again = page.getByRole('link', { name: words.chooseAgain });
    await expect(again).toHaveAttribute('href', `/e/${event.slug}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The order is the guest's cancel, its seats are free again, and no mail about it was queued.
    const rows = await withReadOnlyDb(async (client) => {
      const result = await client.query<{ status: string; cancel_reason: string | null; mails: number }>(
        `select o.status, o.cancel_reason, (select count(*)::int from outbox_messages m where m.event_id = o.event_id) as mails
           from orders o where o.event_id = $1`,
        [event.id],
      );
      return result.rows;
    });
    expect(rows).toEqual([{ status: 'cancelled', cancel_reason: 'guest', mails: 0 }]);

    await again.click();
    await page.waitForURL(`**/e/${event.slug}`);
    await expect(picker.ticketType('Standard')).toBeVisible();
    await context.close();
  });
}

test("back from the provider's page without paying (Stripe's cancel URL), the order is still held: not completed, Pay or cancel", async ({
  api,
  page,
  organiser: _organiser,
}) => {
  const event = await createEventViaApi(api, { maxParticipants: 10 });
  const type = await api.post(`/api/events/${event.id}/ticket-types`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Standard', price: { amount: 2500, currency: 'EUR' } },
  });
  const typeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
  const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Came Back', email: `back-${randomUUID().slice(0, 8)}@example.com`, items: [{ ticketTypeId: typeId, quantity: 1 }] },
  });
  const { manageUrl } = ((await placed.json()) as { data: { manageUrl: string } }).data;
  await page.goto(`${manageUrl}?state=cancelled`);
  await expect(page.getByTestId('order-page')).toHaveAttribute('data-order-status', 'pending_payment');
  await expect(page.getByTestId('payment-not-completed')).toContainText('The payment was not completed: nothing was charged.');
  await expect(page.getByTestId('payment-pending')).toBeVisible();
  await expect(page.getByTestId('order-cancel')).toBeEnabled();
  await expect(page.getByTestId('order-cancelled')).toHaveCount(0);
});
