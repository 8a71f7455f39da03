// Organiser payouts on the embedded default's test provider (docs/api.md,
// "Organiser payouts"): the owner sets up payouts and completes the simulated
// onboarding with one button, a guest buys a ticket, and the owner sees the
// gross, the platform's fee and the net on the Payouts page (English at
// 1280 px, Russian on a 390 px phone).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '../support/fixtures';
import { TestPaymentPage, TicketPickerPage } from '../pages/tickets.po';
import { createEventViaApi, overflowing } from './helpers';

test('the owner onboards (test provider), a guest buys, the owner sees gross, fee and net', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  // Two browsers, a purchase and three page loads in two languages.
  test.slow();
  await page.goto('/payouts');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payouts');
  await expect(page.getByTestId('payouts-empty')).toBeVisible();
  await page.getByTestId('payouts-open-account').click();
  await page.waitForURL(/\/payouts\?onboarding=test$/);
  await expect(page.getByTestId('payouts-charges')).toHaveAttribute('data-enabled', 'false');
  await expect(page.getByTestId('payouts-requirements')).toBeVisible();
  await page.screenshot({ path: path.join(os.tmpdir(), 'payouts-onboarding-en-1280.png'), fullPage: true });
  await page.getByTestId('payouts-test-onboard').click();
  await expect(page.getByTestId('payouts-charges')).toHaveAttribute('data-enabled', 'true');
  await expect(page.getByTestId('payouts-payouts')).toHaveAttribute('data-enabled', 'true');
  await expect(page.getByTestId('payouts-test-onboarding')).toHaveCount(0);
  await expect(page.getByTestId('payouts-requirements')).toHaveCount(0);
  await expect(page.getByTestId('payouts-open-account')).toHaveCount(0);

  // A paid ticket type; a guest buys one through the test payment page.
  const event = await createEventViaApi(api, { title: 'Payout Night', maxParticipants: 10 });
  const type = await api.post(`/api/events/${event.id}/ticket-types`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Standard', price: { amount: 2500, currency: 'EUR' } },
  });
  expect(type.status()).toBe(201);
  const guest = await browser.newContext({ baseURL, locale: 'en-US' });
  const picker = new TicketPickerPage(await guest.newPage());
  await picker.goto(event.slug);
  await picker.choose('Standard', 1);
  await picker.fillBuyer({ name: 'Pat Payer', email: 'pat@example.com' });
  await picker.submitButton().click();
  await picker.page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/);
  await new TestPaymentPage(picker.page).payButton().click();
  await picker.page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\?state=success$/);
  await guest.close();

  // free plan: 5 % of €25.00 = €1.25, + €0.50 per paid ticket = €1.75; net €23.25.
  await page.goto('/payouts');
  await expect(page.getByTestId('payouts-total-gross')).toHaveText('€25.00');
  await expect(page.getByTestId('payouts-total-fees')).toHaveText('€1.75');
  await expect(page.getByTestId('payouts-total-refunded')).toHaveText('€0.00');
  await expect(page.getByTestId('payouts-total-net')).toHaveText('€23.25');
  const row = page.getByTestId('payouts-event-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Payout Night');
  await expect(row).toContainText('€23.25');
  await page.screenshot({ path: path.join(os.tmpdir(), 'payouts-en-1280.png'), fullPage: true });

  // The order shows its fee to the organiser.
  await page.goto(`/events/${event.id}/orders`);
  await expect(page.getByTestId('order-fee')).toContainText('€1.75');

  // The CSV: the one payment.
  const csv = await api.get(`/api/teams/${_organiser.id}/payouts.csv`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(',2500,175,0,2325');

  // Russian, on a phone: the same numbers, nothing wider than the screen.
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/payouts');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Выплаты');
  await expect(page.getByTestId('payouts-total-net')).toContainText('23,25');
  expect(await overflowing(page)).toEqual([]);
  await page.screenshot({ path: path.join(os.tmpdir(), 'payouts-ru-390.png'), fullPage: true });
});
