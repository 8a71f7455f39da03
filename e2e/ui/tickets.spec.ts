// Paid tickets (issue 22) in a real browser over the TEST payment provider:
// a guest buys two tickets and sees them on /o/<token> (English, and Russian on
// a 390 px phone), and the organiser refunds one order from the orders page.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Browser } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { createEventViaApi } from './helpers';

async function ticketType(api: APIRequestContext, eventId: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await api.post(`/api/events/${eventId}/ticket-types`, { headers: { 'Idempotency-Key': randomUUID() }, data: body });
  if (res.status() !== 201) throw new Error(`ticket type: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: { ticketType: { id: string } } }).data.ticketType;
}

async function buyTwo(browser: Browser, baseURL: string | undefined, slug: string, options: { locale: string; viewport?: { width: number; height: number } }) {
  const guest = await browser.newContext({ baseURL, locale: options.locale, ...(options.viewport && { viewport: options.viewport }) });
  const page = await guest.newPage();
  await page.goto(`/e/${slug}`);
  const standard = page.getByTestId('ticket-type').filter({ hasText: 'Standard' });
  await standard.getByTestId('ticket-quantity').selectOption('2');
  return { guest, page };
}

test('a guest buys two tickets: total, the TEST payment page, then the order with its two tickets', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Ticketed Night', maxParticipants: 10 });
  await ticketType(api, event.id, { name: 'Standard', price: { amount: 2500, currency: 'EUR' }, quantity: 5 });
  await ticketType(api, event.id, { name: 'VIP', price: { amount: 9000, currency: 'EUR' } });

  const { guest, page: guestPage } = await buyTwo(browser, baseURL, event.slug, { locale: 'en-US' });
  await expect(guestPage.getByTestId('order-total')).toContainText('€50.00');
  await guestPage.getByLabel('Name').fill('Tess Ticket');
  await guestPage.getByLabel('Email').fill('tess@example.com');
  await guestPage.getByTestId('order-submit').dblclick();

  await guestPage.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/);
  await expect(guestPage.getByTestId('test-pay-summary')).toContainText('€50.00');
  await guestPage.getByTestId('test-pay-pay').click();
  await guestPage.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\?state=success$/);
  await expect(guestPage.getByTestId('order-page')).toHaveAttribute('data-order-status', 'confirmed');
  await expect(guestPage.getByTestId('receipt-total')).toContainText('€50.00');
  const tickets = guestPage.locator('[data-ticket-id]');
  await expect(tickets).toHaveCount(2);
  await expect(tickets.first()).toHaveAttribute('data-ticket-status', 'confirmed');
  await guest.close();

  // The organiser sees them sold; one order, two tickets (the double click sent one).
  await page.goto(`/events/${event.id}`);
  const row = page.getByTestId('ticket-type-row').filter({ hasText: 'Standard' });
  await expect(row.getByTestId('ticket-type-sold')).toHaveText('2 / 5');
  await expect(row.getByTestId('ticket-type-available')).toHaveText('3');
  // Editing a type: not below what is sold; then a larger quantity.
  await row.getByTestId('ticket-type-edit').click();
  await page.getByLabel('Quantity').fill('1');
  await page.getByTestId('ticket-type-add').click();
  await expect(page.getByTestId('ticket-type-error')).toContainText('below the tickets already sold');
  await page.getByLabel('Quantity').fill('8');
  await page.getByTestId('ticket-type-add').click();
  await expect(row.getByTestId('ticket-type-sold')).toHaveText('2 / 8');
  await expect(row.getByTestId('ticket-type-available')).toHaveText('6');
  await expect(row.getByTestId('ticket-type-sales-end')).toHaveText('Until the event starts');
  // A sales end already past stops that type's sales at once, on the event's clocks.
  const vip = page.getByTestId('ticket-type-row').filter({ hasText: 'VIP' });
  await vip.getByTestId('ticket-type-edit').click();
  await page.getByLabel(/^Sales end/).fill('2026-01-15T18:30');
  await page.getByTestId('ticket-type-add').click();
  await expect(vip.getByTestId('ticket-type-sales-end')).toContainText('6:30');
  const publicEvent = await api.get(`/api/public/events/${event.slug}`);
  const { ticketTypes } = ((await publicEvent.json()) as { data: { ticketTypes: { name: string; onSale: boolean }[] } }).data;
  expect(Object.fromEntries(ticketTypes.map((type) => [type.name, type.onSale]))).toEqual({ Standard: true, VIP: false });
  await page.getByTestId('event-orders-link').click();
  await expect(page.getByTestId('order-row')).toHaveCount(1);
});

test('in Russian on a 390 px phone: the picker, the payment and the order page', async ({ api, browser, baseURL, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Вечер с билетами', maxParticipants: 10 });
  await ticketType(api, event.id, { name: 'Standard', price: { amount: 150000, currency: 'RUB' } });
  const { guest, page } = await buyTwo(browser, baseURL, event.slug, { locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  await expect(page.getByRole('heading', { name: 'Билеты' })).toBeVisible();
  await expect(page.getByTestId('order-total')).toContainText(/3\s000,00\s₽/);
  await page.getByLabel('Имя').fill('Тимофей');
  await page.getByLabel('Email').fill('tim@example.com');
  await page.getByTestId('order-submit').click();
  await page.waitForURL(/\/pay$/);
  await page.getByTestId('test-pay-pay').click();
  await page.waitForURL(/state=success$/);
  await expect(page.getByTestId('order-status')).toHaveText('Подтверждён');
  await expect(page.locator('[data-ticket-id]')).toHaveCount(2);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await guest.close();
});

test('the organiser refunds one order in full from the orders page', async ({ page, api, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Refund Night', maxParticipants: 10 });
  const type = await ticketType(api, event.id, { name: 'Standard', price: { amount: 2000, currency: 'EUR' } });
  // Two guests order and pay over HTTP (the page test above covers the browser path).
  for (const email of ['a@example.com', 'b@example.com']) {
    const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
      headers: { 'Idempotency-Key': randomUUID() },
      data: { name: email, email, items: [{ ticketTypeId: type.id, quantity: 1 }] },
    });
    expect(placed.status()).toBe(201);
    const { manageUrl } = ((await placed.json()) as { data: { manageUrl: string } }).data;
    await api.get(`${manageUrl}/pay`);
    const paid = await api.post(`/api/public/orders/${manageUrl.slice(3)}/test-pay`, { headers: { 'Idempotency-Key': randomUUID() }, data: { outcome: 'paid' } });
    expect(paid.status()).toBe(200);
  }
  await page.goto(`/events/${event.id}/orders`);
  await expect(page.getByTestId('total-paid')).toHaveText('€40.00');
  const row = page.getByTestId('order-row').first();
  await row.getByTestId('order-refund').click();
  await expect(page.getByTestId('refund-dialog')).toBeVisible();
  await page.getByTestId('refund-confirm').dblclick();
  await expect(page.getByTestId('refund-done')).toContainText('€20.00');
  await page.getByTestId('refund-close').click();
  await expect(page.getByTestId('refund-dialog')).toBeHidden();
  // The totals count the refund from its request; nothing is left to refund on that order.
  await expect(page.getByTestId('total-refunded')).toHaveText('€20.00');
  await expect(page.getByTestId('total-net')).toHaveText('€20.00');
  // The refund worker started with the app sends it: once the provider confirms, the order is refunded
  // (its tickets cancelled, never before), soon after.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('refund-progress')).toContainText('1 of 1');
    await expect(page.locator('[data-order-status="refunded"]')).toHaveCount(1);
  }).toPass({ timeout: 15_000 });
  await expect(page.locator('[data-order-status="refunded"]').getByTestId('order-refund')).toBeDisabled();
});
