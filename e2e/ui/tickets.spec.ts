// Paid tickets in a real browser over the TEST payment provider:
// a guest buys two tickets and sees them on /o/<token> (English, and Russian on
// a 390 px phone): what the payment is doing while it runs, then "You're
// going", the venue's map link, add to calendar, each ticket's reference under
// its QR code and the print view (one ticket per page); and the organiser
// refunds one order from the orders page.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Browser } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { OrderPage, OrdersPage, TestPaymentPage, TicketPickerPage, TicketTypesSection } from '../pages/tickets.po';
import { createEventViaApi } from './helpers';

async function ticketType(api: APIRequestContext, eventId: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await api.post(`/api/events/${eventId}/ticket-types`, { headers: { 'Idempotency-Key': randomUUID() }, data: body });
  if (res.status() !== 201) throw new Error(`ticket type: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: { ticketType: { id: string } } }).data.ticketType;
}

async function buyTwo(browser: Browser, baseURL: string | undefined, slug: string, options: { locale: string; viewport?: { width: number; height: number } }) {
  const guest = await browser.newContext({ baseURL, locale: options.locale, ...(options.viewport && { viewport: options.viewport }) });
  const picker = new TicketPickerPage(await guest.newPage());
  await picker.goto(slug);
  await picker.choose('Standard', 2);
  return { guest, picker, page: picker.page };
}

test('a guest buys two tickets: total, the TEST payment page, then the order with its two tickets', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Ticketed Night', maxParticipants: 10 });
  await ticketType(api, event.id, { name: 'Standard', price: { amount: 2500, currency: 'EUR' }, quantity: 5 });
  await ticketType(api, event.id, { name: 'VIP', price: { amount: 9000, currency: 'EUR' } });

  const { guest, picker, page: guestPage } = await buyTwo(browser, baseURL, event.slug, { locale: 'en-US' });
  await expect(picker.total()).toContainText('€50.00');
  await picker.fillBuyer({ name: 'Tess Ticket', email: 'tess@example.com' });
  await picker.submitButton().dblclick();

  await guestPage.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/);
  const payment = new TestPaymentPage(guestPage);
  await expect(payment.summary()).toContainText('€50.00');
  // The payment held until the status line has said what is happening (more than the button's spinner).
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await guestPage.route('**/test-pay', async (route) => {
    await held;
    await route.continue();
  });
  await payment.payButton().click();
  await expect(payment.progress()).toHaveText('Sending the payment and waiting for its confirmation…');
  await expect(payment.progress()).toHaveAttribute('aria-live', 'polite');
  release();
  await guestPage.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\?state=success$/);
  const order = new OrderPage(guestPage);
  await expect(order.order()).toHaveAttribute('data-order-status', 'confirmed');
  await expect(order.receiptTotal()).toContainText('€50.00');
  await expect(order.tickets()).toHaveCount(2);
  await expect(order.tickets().first()).toHaveAttribute('data-ticket-status', 'confirmed');
  // You're going: the venue with its map link (no embed), add to calendar.
  await expect(order.going()).toContainText('You’re going!');
  await expect(order.mapLink()).toHaveAttribute('href', 'https://www.openstreetmap.org/search?query=Tverskaya%201');
  await expect(order.mapLink()).toHaveAttribute('target', '_blank');
  await expect(guestPage.getByTestId('add-to-calendar')).toBeVisible();
  // Each ticket's reference under its QR code, as printed (two groups of four); no internal id on the page.
  for (const ticket of await order.tickets().all()) {
    const reference = (await ticket.getAttribute('data-reference')) ?? '';
    expect(reference).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    await expect(ticket.getByTestId('ticket-reference')).toHaveText(`${reference.slice(0, 4)}-${reference.slice(4)}`);
  }
  expect(await guestPage.locator('main').textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
  await guestPage.screenshot({ path: path.join(os.tmpdir(), 'order-page-en-1280.png'), fullPage: true });
  // The print view: the tickets only, one per page.
  await expect(order.printButton()).toBeVisible();
  await guestPage.emulateMedia({ media: 'print' });
  await expect(order.receipt()).toBeHidden();
  await expect(order.going()).toBeHidden();
  await expect(order.printButton()).toBeHidden();
  await expect(order.tickets()).toHaveCount(2);
  const breaks = await order.tickets().evaluateAll((items) => items.map((item) => getComputedStyle(item).breakAfter));
  expect(breaks).toEqual(['page', 'auto']);
  await expect(order.tickets().first()).toContainText('Ticketed Night');
  await expect(order.tickets().first()).toContainText('Tess Ticket');
  await expect(order.tickets().first()).toContainText('Tverskaya 1');
  await guestPage.screenshot({ path: path.join(os.tmpdir(), 'order-print-en-1280.png'), fullPage: true });
  await guestPage.emulateMedia({ media: 'screen' });
  // At the door the first ticket's reference is typed: the order page then shows its admission.
  const admittedReference = (await order.tickets().first().getAttribute('data-reference')) ?? '';
  const scans = await api.post(`/api/events/${event.id}/check-in/scans`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { deviceId: 'door-e2e', scans: [{ nonce: randomUUID(), code: admittedReference.toLowerCase(), scannedAt: new Date().toISOString() }] },
  });
  expect(((await scans.json()) as { data: { results: { result: string }[] } }).data.results[0]?.result).toBe('admitted');
  await guestPage.reload();
  await expect(order.tickets().first().getByTestId('ticket-admitted')).toContainText('Admitted at the door:');
  await expect(order.tickets().nth(1).getByTestId('ticket-admitted')).toHaveCount(0);
  await guest.close();

  // The organiser sees them sold; one order, two tickets (the double click sent one).
  await page.goto(`/events/${event.id}`);
  const types = new TicketTypesSection(page);
  await expect(types.sold('Standard')).toHaveText('2 / 5');
  await expect(types.available('Standard')).toHaveText('3');
  // Editing a type: not below what is sold; then a larger quantity.
  await types.edit('Standard');
  await types.quantity().fill('1');
  await types.save();
  await expect(types.error()).toContainText('below the tickets already sold');
  await types.quantity().fill('8');
  await types.save();
  await expect(types.sold('Standard')).toHaveText('2 / 8');
  await expect(types.available('Standard')).toHaveText('6');
  await expect(types.salesEnd('Standard')).toHaveText('Until the event starts');
  // A sales end already past stops that type's sales at once, on the event's clocks.
  await types.edit('VIP');
  await types.salesEndField().fill('2026-01-15T18:30');
  await types.save();
  await expect(types.salesEnd('VIP')).toContainText('6:30');
  const publicEvent = await api.get(`/api/public/events/${event.slug}`);
  const { ticketTypes } = ((await publicEvent.json()) as { data: { ticketTypes: { name: string; onSale: boolean }[] } }).data;
  expect(Object.fromEntries(ticketTypes.map((type) => [type.name, type.onSale]))).toEqual({ Standard: true, VIP: false });
  await types.ordersLink().click();
  await expect(new OrdersPage(page).rows()).toHaveCount(1);
});

test('in Russian on a 390 px phone: the picker, the payment and the order page', async ({ api, browser, baseURL, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Вечер с билетами', maxParticipants: 10 });
  await ticketType(api, event.id, { name: 'Standard', price: { amount: 150000, currency: 'RUB' } });
  const { guest, picker, page } = await buyTwo(browser, baseURL, event.slug, { locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  await expect(page.getByRole('heading', { name: 'Билеты' })).toBeVisible();
  await expect(picker.total()).toContainText(/3\s000,00\s₽/);
  await picker.fillBuyer({ name: 'Тимофей', email: 'tim@example.com', nameLabel: 'Имя', emailLabel: 'Эл. почта' });
  await picker.submitButton().click();
  await page.waitForURL(/\/pay$/);
  await new TestPaymentPage(page).payButton().click();
  await page.waitForURL(/state=success$/);
  const order = new OrderPage(page);
  await expect(order.status()).toHaveText('Подтверждён');
  await expect(order.tickets()).toHaveCount(2);
  await expect(order.going()).toContainText('Вы идёте!');
  await expect(order.mapLink()).toHaveText(/Открыть в OpenStreetMap/);
  await expect(order.printButton()).toHaveText('Распечатать билеты');
  await expect(order.tickets().first().getByText('Номер билета')).toBeVisible();
  await expect(order.tickets().first().getByTestId('ticket-reference')).toHaveText(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(os.tmpdir(), 'order-page-ru-390.png'), fullPage: true });
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
  const orders = new OrdersPage(page);
  await orders.goto(event.id);
  await expect(orders.totalPaid()).toHaveText('€40.00');
  await orders.refundButton(orders.rows().first()).click();
  await expect(orders.refundDialog()).toBeVisible();
  await orders.refundConfirm().dblclick();
  await expect(orders.refundDone()).toContainText('€20.00');
  await orders.refundClose().click();
  await expect(orders.refundDialog()).toBeHidden();
  // The totals count the refund from its request; nothing is left to refund on that order.
  await expect(orders.totalRefunded()).toHaveText('€20.00');
  await expect(orders.totalNet()).toHaveText('€20.00');
  // The refund worker started with the app sends it: once the provider confirms, the order is refunded
  // (its tickets cancelled, never before), soon after.
  await expect(async () => {
    await page.reload();
    await expect(orders.refundProgress()).toContainText('1 of 1');
    await expect(orders.withStatus('refunded')).toHaveCount(1);
  }).toPass({ timeout: 15_000 });
  await expect(orders.refundButton(orders.withStatus('refunded'))).toBeDisabled();
});
