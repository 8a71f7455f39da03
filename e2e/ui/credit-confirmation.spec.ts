import { expect, test } from '../support/fixtures';
import { expectReplay, recordMutations } from '../support/replay';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { creditBalance, eventsTitled, uniqueTitle } from './helpers';

const createsEvent = (url: string) => new URL(url).pathname === '/api/events';
const isConfirm = (url: string) => new URL(url).searchParams.get('confirm_credit') === '1';

async function fillBigEvent(form: EventFormPage, title: string) {
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(12), endsAt: futureWallTime(12, '22:00'), maxParticipants: 50 });
}

test('50 participants: the modal asks, confirm publishes, one credit is spent, one key for both requests; the kit replays the confirm', async ({
  page,
  organiser,
  api,
}) => {
  await organiser.grantCredits(3);
  const form = new EventFormPage(page);
  const title = uniqueTitle('Big event');
  await fillBigEvent(form, title);
  await expect(page.getByTestId('credit-balance')).toHaveAttribute('data-balance', '3');
  const recorder = recordMutations(page, createsEvent);

  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  await expect(form.modal().getByTestId('credit-modal-credits-required')).toHaveText('1');
  await expect(form.modal().getByTestId('credit-modal-balance')).toHaveText('3');
  await expect(form.modal().getByTestId('credit-modal-plan-limit')).toHaveText('30');
  await expect(form.modal().getByTestId('credit-modal-requested')).toHaveText('50');
  expect(await creditBalance(api)).toBe(3);

  await form.confirmButton().click();
  const eventId = await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-status')).toHaveText('Published');
  await expect(page.getByTestId('credit-balance')).toHaveAttribute('data-balance', '2');
  expect(await creditBalance(api)).toBe(2);

  const first = await recorder.waitFor((e) => !isConfirm(e.request.url));
  const confirm = await recorder.waitFor((e) => isConfirm(e.request.url));
  expect(first.response.status).toBe(402);
  expect(first.response.body).toMatchObject({ error: { code: 'CREDIT_CONFIRMATION_REQUIRED' } });
  expect(confirm.response.status).toBe(201);
  expect(confirm.request.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(confirm.request.idempotencyKey).toBe(first.request.idempotencyKey);
  expect(confirm.request.body).toBe(first.request.body);
  expect(recorder.exchanges).toHaveLength(2);

  // Replaying the confirm: the stored answer, nothing run again.
  const replay = await expectReplay(page, confirm);
  expect(replay.body).toMatchObject({ data: { event: { id: eventId }, credit: { charged: true, balance: 2 } } });
  expect(await eventsTitled(api, title)).toHaveLength(1);
  expect(await creditBalance(api)).toBe(2);
});

test('Cancel in the modal: no event, no charge, the form keeps its values', async ({ page, organiser, api }) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  const title = uniqueTitle('Cancelled spend');
  await fillBigEvent(form, title);
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  await form.cancelButton().click();
  await expect(form.modal()).toBeHidden();

  await expect(form.field('title')).toHaveValue(title);
  await expect(form.field('maxParticipants')).toHaveValue('50');
  await expect(form.field('address')).toHaveValue('Main street 1');
  await expect(form.submitButton()).toBeEnabled();
  expect(await eventsTitled(api, title)).toHaveLength(0);
  expect(await creditBalance(api)).toBe(1);
});

test('a new attempt after Cancel uses a new key', async ({ page, organiser }) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  await fillBigEvent(form, uniqueTitle('Two attempts'));
  const recorder = recordMutations(page, createsEvent);
  await form.submitButton().click();
  await form.cancelButton().click();
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  await recorder.waitFor((e) => e.request.idempotencyKey !== recorder.exchanges[0]?.request.idempotencyKey);
  const keys = recorder.exchanges.map((e) => e.request.idempotencyKey);
  expect(new Set(keys).size).toBe(2);
});

test('while a slow confirm runs, the modal’s buttons are disabled and it cannot be closed', async ({ page, organiser, api }) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  const title = uniqueTitle('Slow confirm');
  await fillBigEvent(form, title);

  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => createsEvent(url.toString()) && isConfirm(url.toString()),
    async (route) => {
      await held;
      await route.continue();
    },
  );

  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  await form.confirmButton().click();
  await expect(form.confirmButton()).toBeDisabled();
  await expect(form.cancelButton()).toBeDisabled();
  await expect(form.confirmButton().getByTestId('spinner')).toBeVisible();

  await page.keyboard.press('Escape');
  await page.mouse.click(5, 5);
  await expect(form.modal()).toBeVisible();

  release();
  await form.expectLandedOnEvent();
  expect(await eventsTitled(api, title)).toHaveLength(1);
  expect(await creditBalance(api)).toBe(0);
});

test('without credits the first request fails inline with a link to billing', async ({ page, organiser: _organiser, api }) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('No credits');
  await fillBigEvent(form, title);
  await form.submitButton().click();
  const error = page.getByTestId('form-error');
  await expect(error).toContainText("You don't have enough credits for an event this large.");
  await expect(error.getByRole('link', { name: 'Go to billing' })).toHaveAttribute('href', '/billing?return=%2Fevents%2Fnew');
  await expect(form.modal()).toBeHidden();
  await expect(form.field('title')).toHaveValue(title);
  expect(await eventsTitled(api, title)).toHaveLength(0);
});

test('credits spent elsewhere before the confirm: the modal says so, links to billing, and Cancel returns to the form', async ({
  page,
  organiser,
  api,
}) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  const title = uniqueTitle('Spent elsewhere');
  await fillBigEvent(form, title);
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();

  // Another tab spends the only credit.
  const other = await page.context().newPage();
  const otherForm = new EventFormPage(other);
  await fillBigEvent(otherForm, uniqueTitle('Other tab'));
  await otherForm.submitButton().click();
  await otherForm.confirmButton().click();
  await otherForm.expectLandedOnEvent();
  await other.close();

  await form.confirmButton().click();
  const modalError = form.modal().getByTestId('credit-modal-error');
  await expect(modalError).toContainText('Your balance no longer covers this');
  await expect(modalError.getByRole('link', { name: 'Buy credits and come back' })).toHaveAttribute('href', '/billing?return=%2Fevents%2Fnew');
  await expect(form.confirmButton()).toBeDisabled();
  await form.cancelButton().click();
  await expect(form.modal()).toBeHidden();
  await expect(form.field('title')).toHaveValue(title);
  expect(await eventsTitled(api, title)).toHaveLength(0);
  expect(await creditBalance(api)).toBe(0);
});
