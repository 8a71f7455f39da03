import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { AttendeesPage } from '../pages/attendees.po';
import { createEventViaApi } from './helpers';

async function seriousViolations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

test('sign-in has no serious or critical violation', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the events list has no serious or critical violation, empty or not', async ({ page, organiser: _organiser, api }) => {
  await page.goto('/events');
  expect(await seriousViolations(page)).toEqual([]);
  await createEventViaApi(api);
  await page.goto('/events');
  await expect(page.getByTestId('event-row')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
});

test('the event form, with errors showing, has no serious or critical violation', async ({ page, organiser: _organiser }) => {
  const form = new EventFormPage(page);
  await form.gotoNew();
  expect(await seriousViolations(page)).toEqual([]);
  await form.submitButton().click();
  await expect(page.getByTestId('title-error')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the open credit modal has no serious or critical violation and holds the focus', async ({ page, organiser }) => {
  await organiser.grantCredits(1);
  const form = new EventFormPage(page);
  await form.gotoNew();
  await form.fill({ title: 'Accessible big event', startsAt: futureWallTime(9), endsAt: futureWallTime(9, '20:00'), maxParticipants: 60 });
  await form.submitButton().click();
  await expect(form.modal()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    expect(await form.modal().evaluate((modal) => modal.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(form.modal()).toBeHidden();
  await expect(form.field('title')).toHaveValue('Accessible big event');
});

test('the public event page (open, full with a waitlist, cancelled) and the manage page have no serious or critical violation', async ({
  page,
  organiser: _organiser,
  api,
}) => {
  test.slow(); // four pages, five axe runs
  const event = await createEventViaApi(api, { title: 'Accessible meetup', maxParticipants: 1 });
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('register-submit')).toBeEnabled();
  expect(await seriousViolations(page)).toEqual([]);

  // With the form's errors showing.
  await page.getByTestId('register-submit').click();
  await expect(page.getByTestId('email-error')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const registered = await api.post(`/api/public/events/${event.slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Seat Taker', email: 'seat-taker@example.com' },
  });
  expect(registered.status()).toBe(201);
  const { manageUrl } = ((await registered.json()) as { data: { manageUrl: string } }).data;
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('register-submit')).toHaveText('Join the waitlist');
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(manageUrl);
  await expect(page.getByTestId('cancel-registration')).toBeEnabled();
  expect(await seriousViolations(page)).toEqual([]);

  const cancelled = await api.patch(`/api/events/${event.id}`, {
    headers: { 'Idempotency-Key': randomUUID(), 'If-Match': `"${event.version}"` },
    data: { status: 'cancelled' },
  });
  expect(cancelled.status()).toBe(200);
  await page.goto(`/e/${event.slug}`);
  await expect(page.getByTestId('event-cancelled')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the attendee list, with rows and with the cancel dialog open, has no serious or critical violation', async ({
  page,
  organiser: _organiser,
  api,
}) => {
  // Three axe runs over a table of rows: slow on a shared machine.
  test.slow();
  const event = await createEventViaApi(api, { maxParticipants: 1 });
  for (const [name, email] of [
    ['Ada Axe', 'ada@example.com'],
    ['Bo Waiting', 'bo@example.com'],
  ]) {
    const response = await api.post(`/api/public/events/${event.slug}/registrations`, {
      headers: { 'Idempotency-Key': randomUUID() },
      data: { name, email },
    });
    expect(response.status()).toBe(201);
  }
  const attendees = new AttendeesPage(page);
  await attendees.goto(event.id);
  await expect(attendees.rows()).toHaveCount(2);
  expect(await seriousViolations(page)).toEqual([]);
  await attendees.cancelButton('Ada Axe').click();
  await expect(attendees.cancelDialog()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(attendees.cancelDialog()).toBeHidden();
  await expect(attendees.cancelButton('Ada Axe')).toBeFocused();
  await attendees.search().fill('nobody-matches');
  await expect(attendees.empty()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

// Paid tickets: the ticket picker, the guest's order page and the organiser's orders page.
test('the ticket pages have no serious or critical violation', async ({ page, organiser: _organiser, api, browser, baseURL }) => {
  test.setTimeout(150_000); // seven pages and states, each analysed (90 s ran out once at load 9 on 2 cores)
  const event = await createEventViaApi(api, { maxParticipants: 10 });
  const type = await api.post(`/api/events/${event.id}/ticket-types`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Standard', price: { amount: 2000, currency: 'EUR' } },
  });
  expect(type.status()).toBe(201);
  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId('ticket-type-row')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);

  const guest = await browser.newContext({ baseURL });
  const guestPage = await guest.newPage();
  await guestPage.goto(`/e/${event.slug}`);
  await guestPage.getByTestId('ticket-quantity').selectOption('1');
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guestPage.getByLabel('Name').fill('Axe Guest');
  await guestPage.getByLabel('Email').fill('axe@example.com');
  await guestPage.getByTestId('order-submit').click();
  await guestPage.waitForURL(/\/pay$/);
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guestPage.getByTestId('test-pay-pay').click();
  await expect(guestPage.getByTestId('order-page')).toHaveAttribute('data-order-status', 'confirmed');
  // The order page after payment: the banner, the venue, add to calendar, the tickets with their references; and its print view.
  await expect(guestPage.getByTestId('order-going')).toBeVisible();
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guestPage.emulateMedia({ media: 'print' });
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guestPage.emulateMedia({ media: 'screen' });
  await guest.close();

  await page.goto(`/events/${event.id}/orders`);
  await expect(page.getByTestId('order-row')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('order-refund').click();
  await expect(page.getByTestId('refund-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test("a guest's cancels: the manage page's confirm dialog and its cancelled state, and an order cancelled by its guest, have no serious or critical violation", async ({
  page,
  organiser: _organiser,
  api,
}) => {
  test.slow(); // two pages, four axe runs
  const event = await createEventViaApi(api, { maxParticipants: 5 });
  const registered = await api.post(`/api/public/events/${event.slug}/registrations`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Leaving Guest', email: 'leaving-axe@example.com' },
  });
  const { manageUrl } = ((await registered.json()) as { data: { manageUrl: string } }).data;
  await page.goto(manageUrl);
  await page.getByTestId('cancel-registration').click();
  await expect(page.getByTestId('manage-cancel-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('manage-cancel-confirm').click();
  await expect(page.getByRole('link', { name: 'Register again' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  const type = await api.post(`/api/events/${event.id}/ticket-types`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Standard', price: { amount: 1500, currency: 'EUR' } },
  });
  const typeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
  const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Changed Mind', email: 'changed-axe@example.com', items: [{ ticketTypeId: typeId, quantity: 1 }] },
  });
  const order = ((await placed.json()) as { data: { manageUrl: string } }).data;
  await page.goto(order.manageUrl);
  await page.getByTestId('order-cancel').click();
  await expect(page.getByTestId('order-cancel-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('order-cancel-confirm').click();
  await expect(page.getByTestId('order-cancelled')).toContainText('You cancelled this order.');
  expect(await seriousViolations(page)).toEqual([]);
});
