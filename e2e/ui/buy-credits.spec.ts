import { expect, test } from '../support/fixtures';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { creditBalance, uniqueTitle } from './helpers';

test('buying 5 credits on the TEST payment page: Pay, back on billing, balance and history updated', async ({ page, organiser: _organiser, api }) => {
  await page.goto('/billing');
  await expect(page.getByTestId('purchases-empty')).toBeVisible();
  await expect(page.getByTestId('packs').getByRole('listitem')).toHaveCount(3);
  await page.getByTestId('buy-credits-5').click();

  await page.waitForURL(/\/billing\/test-pay\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('test-pay-banner')).toContainText('TEST MODE');
  await expect(page.getByTestId('test-pay-summary')).toHaveText('5 credits for €20.00');
  await page.getByTestId('test-pay-pay').click();

  await page.waitForURL(/\/billing\?checkout=[0-9a-f-]{36}&state=success$/);
  await expect(page.getByTestId('checkout-paid')).toBeVisible();
  await expect(page.getByTestId('billing-balance')).toHaveText('5');
  // The header's badge too, though its layout was not read again on the way back.
  await expect(page.getByTestId('credit-balance')).toHaveAttribute('data-balance', '5');
  await expect(page.getByTestId('purchase')).toHaveCount(1);
  await expect(page.getByTestId('purchase').first()).toHaveAttribute('data-status', 'paid');
  await expect(page.getByTestId('ledger')).toContainText('Credits bought');
  expect(await creditBalance(api)).toBe(5);
});

test('Cancel on the TEST page: the purchase is expired, nothing granted', async ({ page, organiser: _organiser, api }) => {
  await page.goto('/billing');
  await page.getByTestId('buy-credits-1').click();
  await page.waitForURL(/\/billing\/test-pay\//);
  await page.getByTestId('test-pay-cancel').click();
  await page.waitForURL(/state=cancelled$/);
  await expect(page.getByTestId('checkout-cancelled')).toBeVisible();
  await expect(page.getByTestId('purchase').first()).toHaveAttribute('data-status', 'expired');
  expect(await creditBalance(api)).toBe(0);
});

test('no credits: the form links to billing, which brings the organiser back to the same form, values kept, after buying', async ({
  page,
  organiser: _organiser,
  api,
}) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Needs a credit');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(12), endsAt: futureWallTime(12, '22:00'), maxParticipants: 50 });
  await form.submitButton().click();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  // Leaving for billing this way loses nothing, so the unsaved-changes guard does not ask.
  await page.getByTestId('form-error').getByRole('link', { name: 'Go to billing' }).click();

  await page.waitForURL(/\/billing\?return=%2Fevents%2Fnew$/);
  await page.getByTestId('buy-credits-1').click();
  await page.waitForURL(/\/billing\/test-pay\/[0-9a-f-]{36}\?next=/);
  await page.getByTestId('test-pay-pay').click();
  await page.waitForURL(/\/billing\?return=%2Fevents%2Fnew&checkout=[0-9a-f-]{36}&state=success$/);
  await expect(page.getByTestId('billing-balance')).toHaveText('1');
  expect(await creditBalance(api)).toBe(1);
  await page.getByTestId('billing-return').getByRole('link', { name: 'Back to your event' }).click();
  await page.waitForURL(/\/events\/new$/);
  await expect(form.field('title')).toHaveValue(title);
  await expect(form.field('maxParticipants')).toHaveValue('50');
  expect(dialogs).toEqual([]);

  // With the credit bought, the same form now asks to spend it.
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  await form.confirmButton().click();
  await form.expectLandedOnEvent();
  expect(await creditBalance(api)).toBe(0);
});

test("the credit modal's dead end is gone: credits spent elsewhere, buy one, come back to the same form and publish", async ({
  page,
  organiser,
  api,
}) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  const title = uniqueTitle('Modal way back');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(12), endsAt: futureWallTime(12, '22:00'), maxParticipants: 50 });
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();

  // Another tab spends the only credit.
  const other = await page.context().newPage();
  const otherForm = new EventFormPage(other);
  await otherForm.gotoNew();
  await otherForm.fill({ title: uniqueTitle('Other tab'), startsAt: futureWallTime(12), endsAt: futureWallTime(12, '22:00'), maxParticipants: 50 });
  await otherForm.submitButton().click();
  await otherForm.confirmButton().click();
  await otherForm.expectLandedOnEvent();
  await other.close();

  await form.confirmButton().click();
  await form.modal().getByRole('link', { name: 'Buy credits and come back' }).click();
  await page.waitForURL(/\/billing\?return=%2Fevents%2Fnew$/);
  await page.getByTestId('buy-credits-1').click();
  await page.getByTestId('test-pay-pay').click();
  await page.getByTestId('billing-return').getByRole('link', { name: 'Back to your event' }).click();
  await page.waitForURL(/\/events\/new$/);
  await expect(form.field('title')).toHaveValue(title);
  await expect(form.field('maxParticipants')).toHaveValue('50');

  // The attempt comes back too (reload-proof attempts): the organiser already
  // confirmed spending a credit on it, so sending the same form again reuses its
  // key and confirmation and publishes without asking a second time.
  await form.submitButton().click();
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-status')).toHaveText('Published');
  expect(await creditBalance(api)).toBe(0);
});
