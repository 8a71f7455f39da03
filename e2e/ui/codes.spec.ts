// Discount and access codes in a real browser over the TEST payment provider:
// a guest opens /e/<slug>?code=XYZ, sees the prices struck through and a
// hidden type unlocked, and pays the discounted total (English at 1280 px,
// Russian on a 390 px phone); a mistyped code says why; the organiser
// bulk-creates single-use codes and downloads them as CSV.
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { OrderPage, TestPaymentPage, TicketPickerPage } from '../pages/tickets.po';
import { createEventViaApi } from './helpers';

/** Serious or critical accessibility violations (as e2e/ui/accessibility.spec.ts counts them). */
async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

async function post<T>(api: APIRequestContext, path: string, body: Record<string, unknown>): Promise<T> {
  const res = await api.post(path, { headers: { 'Idempotency-Key': randomUUID() }, data: body });
  if (res.status() !== 201) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

async function eventWithCode(api: APIRequestContext, title: string, currency: string, price: number) {
  const event = await createEventViaApi(api, { title, maxParticipants: 10 });
  const standard = (await post<{ ticketType: { id: string } }>(api, `/api/events/${event.id}/ticket-types`, { name: 'Standard', price: { amount: price, currency } })).ticketType;
  const crew = (await post<{ ticketType: { id: string } }>(api, `/api/events/${event.id}/ticket-types`, { name: 'Crew', price: { amount: price / 2, currency }, hidden: true }))
    .ticketType;
  await post(api, `/api/events/${event.id}/codes`, { code: 'FRIENDS', discount: { percent: 20 }, ticketTypeIds: [standard.id], unlocks: [crew.id], maxUses: 5 });
  return event;
}

test('a guest applies a code from a link and pays the discounted total; the organiser sees the use and the revenue', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  const event = await eventWithCode(api, 'Code Night', 'EUR', 2500);
  const guest = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const picker = new TicketPickerPage(await guest.newPage());
  // Without the code: no hidden type, a mistyped code says why.
  await picker.goto(event.slug);
  await expect(picker.ticketType('Crew')).toHaveCount(0);
  await picker.page.getByTestId('code-open').click();
  await picker.page.getByLabel('Discount or access code').fill('nope');
  await picker.page.getByTestId('code-apply').click();
  await expect(picker.page.getByTestId('code-invalid')).toContainText('NOPE is not a valid code for this event.');
  // What the guest typed stays in the field.
  await expect(picker.page.getByLabel('Discount or access code')).toHaveValue('nope');
  expect(await seriousViolations(picker.page)).toEqual([]);

  // The organiser's link applies it.
  await picker.page.goto(`/e/${event.slug}?code=friends`);
  await expect(picker.page.getByTestId('code-applied')).toContainText('Code FRIENDS applied');
  await expect(picker.ticketType('Crew')).toBeVisible();
  await expect(picker.ticketType('Standard').getByTestId('ticket-price-was')).toHaveText('€25.00');
  await expect(picker.ticketType('Standard').getByTestId('ticket-price-discounted')).toHaveText('€20.00');
  await picker.choose('Standard', 2);
  await picker.choose('Crew', 1);
  await expect(picker.total()).toContainText('€52.50');
  expect(await seriousViolations(picker.page)).toEqual([]);
  await picker.page.screenshot({ path: '/tmp/codes/shot-guest-en-1280.png', fullPage: true });
  await picker.fillBuyer({ name: 'Cody Code', email: 'cody@example.com' });
  await picker.submitButton().click();
  await picker.page.waitForURL(/\/pay$/);
  const payment = new TestPaymentPage(picker.page);
  await expect(payment.summary()).toContainText('€52.50');
  await payment.payButton().click();
  await picker.page.waitForURL(/state=success$/);
  const order = new OrderPage(picker.page);
  await expect(order.order()).toHaveAttribute('data-order-status', 'confirmed');
  await expect(order.receiptTotal()).toContainText('€52.50');
  await expect(picker.page.getByTestId('receipt-discount')).toContainText('FRIENDS');
  await expect(picker.page.getByTestId('receipt-discount')).toContainText('€10.00');
  await picker.page.screenshot({ path: '/tmp/codes/shot-order-en-1280.png', fullPage: true });
  await guest.close();

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/events/${event.id}`);
  const row = page.getByTestId('code-row').filter({ hasText: 'FRIENDS' });
  await expect(row.getByTestId('code-uses')).toContainText('3 used · 0 held');
  await expect(row.getByTestId('code-uses')).toContainText('2 left');
  await expect(row.getByTestId('code-revenue')).toHaveText('€52.50');
  await page.getByTestId('codes').screenshot({ path: '/tmp/codes/shot-codes-en-1280.png' });
  // The orders page: the order's code and the event's discounts.
  await page.goto(`/events/${event.id}/orders`);
  await expect(page.getByTestId('total-discounts')).toHaveText('€10.00');
  await expect(page.getByTestId('order-code')).toHaveText('Code FRIENDS: −€10.00');
  await page.screenshot({ path: '/tmp/codes/shot-orders-en-1280.png', fullPage: true });
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: test.info().project.use.baseURL ?? '' }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId('order-code')).toHaveText('Код FRIENDS: −10,00 €');
  await page.screenshot({ path: '/tmp/codes/shot-orders-ru-390.png', fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('in Russian on a 390 px phone: the link applies the code and the guest pays the discounted total', async ({ api, browser, baseURL, organiser: _organiser }) => {
  const event = await eventWithCode(api, 'Вечер с кодом', 'RUB', 100000);
  const guest = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  await guest.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? 'http://localhost' }]);
  const picker = new TicketPickerPage(await guest.newPage());
  await picker.page.goto(`/e/${event.slug}?code=FRIENDS`);
  await expect(picker.page.getByTestId('code-applied')).toContainText('Код FRIENDS применён');
  await picker.choose('Standard', 1);
  await expect(picker.total()).toContainText(/800,00\s₽/);
  await picker.page.screenshot({ path: '/tmp/codes/shot-guest-ru-390.png', fullPage: true });
  expect(await picker.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await picker.fillBuyer({ name: 'Тимофей', email: 'tim-code@example.com', nameLabel: 'Имя', emailLabel: 'Эл. почта' });
  await picker.submitButton().click();
  await picker.page.waitForURL(/\/pay$/);
  await expect(new TestPaymentPage(picker.page).summary()).toContainText(/800,00\s₽/);
  await new TestPaymentPage(picker.page).payButton().click();
  await picker.page.waitForURL(/state=success$/);
  const order = new OrderPage(picker.page);
  await expect(order.status()).toHaveText('Подтверждён');
  await expect(order.receiptTotal()).toContainText(/800,00\s₽/);
  await expect(picker.page.getByTestId('receipt-discount')).toContainText('Скидка (код FRIENDS)');
  await picker.page.screenshot({ path: '/tmp/codes/shot-order-ru-390.png', fullPage: true });
  expect(await picker.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // A used-up or unknown code says so, in Russian.
  await picker.page.goto(`/e/${event.slug}?code=NOPE`);
  await expect(picker.page.getByTestId('code-invalid')).toContainText('NOPE — недействительный код для этого события.');
  await guest.close();
});

test('the organiser bulk-creates single-use codes and downloads them as CSV; disables one behind a confirmation', async ({ page, api, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'School Trip', maxParticipants: 30 });
  await post(api, `/api/events/${event.id}/ticket-types`, { name: 'Student', price: { amount: 1500, currency: 'EUR' } });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/events/${event.id}`);
  const codes = page.getByTestId('codes');
  await expect(codes.getByTestId('codes-empty')).toBeVisible();
  await codes.getByTestId('code-mode-bulk').check();
  await codes.getByLabel('Prefix').fill('school');
  await codes.getByLabel('How many (1 to 500)').fill('25');
  await codes.getByTestId('code-kind').selectOption('percent');
  await codes.getByTestId('code-value').fill('100');
  await codes.getByTestId('code-add').dblclick();
  await expect(codes.getByTestId('code-created')).toContainText('25 codes created');
  // The first 20 listed, all of them on demand (and in the CSV).
  await expect(codes.getByTestId('code-row')).toHaveCount(20);
  await codes.getByTestId('codes-show-all').click();
  await expect(codes.getByTestId('code-row')).toHaveCount(25);
  await expect(codes.getByTestId('code-row').first()).toHaveAttribute('data-code', /^SCHOOL-[A-Z0-9]{8}$/);
  const download = page.waitForEvent('download');
  await codes.getByTestId('codes-csv').click();
  const file = await download;
  const csv = await (await file.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString('utf8').trim().split('\r\n');
  expect(lines).toHaveLength(26);
  expect(lines[1]).toMatch(/^SCHOOL-[A-Z0-9]{8},100,,,1,0,0,1,/);

  // Disable one: a confirmation first.
  const first = codes.getByTestId('code-row').first();
  const name = await first.getAttribute('data-code');
  await first.getByTestId('code-disable').click();
  await expect(page.getByTestId('code-confirm')).toContainText(`Disable ${name}?`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('code-confirm-yes').click();
  await expect(codes.locator(`[data-code="${name}"]`).getByTestId('code-disabled')).toBeVisible();
  await codes.screenshot({ path: '/tmp/codes/shot-bulk-en-1280.png' });
  const state = await api.get(`/api/public/events/${event.slug}?code=${name}`);
  expect(((await state.json()) as { data: { code: { valid: boolean; reason: string } } }).data.code).toEqual({ code: name, valid: false, reason: 'unknown' });

  // The panel in Russian on a 390 px phone: the table stacks, nothing wider than the screen.
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: test.info().project.use.baseURL ?? '' }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Коды скидок и доступа' })).toBeVisible();
  await page.getByTestId('codes').screenshot({ path: '/tmp/codes/shot-codes-ru-390.png' });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
