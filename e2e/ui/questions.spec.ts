// Questions for guests in a real browser (docs/api.md, "Questions"): a guest
// in Russian on a 390 px phone answers per-ticket questions for two holders,
// meets a validation error on the way (tied to its field, focus moved to it,
// what was typed kept), and sees the answers on /o/<token>; the organiser sees
// them in the attendee list (a column per question, which can be hidden) and
// the CSV. And the organiser's Questions panel: add, move with the keyboard,
// preview, delete after a confirmation.
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { TicketPickerPage } from '../pages/tickets.po';
import { createEventViaApi } from './helpers';

type Question = { id: string; options: { id: string; label: string }[] };

async function post<T>(api: APIRequestContext, url: string, data: Record<string, unknown>): Promise<T> {
  const res = await api.post(url, { headers: { 'Idempotency-Key': randomUUID() }, data });
  if (res.status() !== 201) throw new Error(`${url}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

test('a guest answers per-ticket questions for two holders in Russian at 390 px; the organiser sees them in the list and the CSV', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Ужин с вопросами', maxParticipants: 10 });
  const { ticketType } = await post<{ ticketType: { id: string } }>(api, `/api/events/${event.id}/ticket-types`, { name: 'Гость', price: { amount: 0, currency: 'RUB' } });
  const { question: diet } = await post<{ question: Question }>(api, `/api/events/${event.id}/questions`, {
    label: 'Питание',
    kind: 'choice',
    required: true,
    per: 'ticket',
    options: [{ label: 'Вегетарианское' }, { label: 'Любое' }],
  });
  const { question: company } = await post<{ question: Question }>(api, `/api/events/${event.id}/questions`, { label: 'Компания', kind: 'text', per: 'ticket', ticketTypeIds: [ticketType.id] });

  const guest = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  const guestPage = await guest.newPage();
  const picker = new TicketPickerPage(guestPage);
  await picker.goto(event.slug);
  await picker.choose('Гость', 2);
  const holders = guestPage.getByTestId('ticket-holder');
  await expect(holders).toHaveCount(2);
  await expect(holders.nth(0).locator('legend').first()).toHaveText('Билет 1 · Гость');
  await guestPage.getByLabel('Имя', { exact: true }).fill('Вера');
  await guestPage.getByLabel('Эл. почта', { exact: true }).fill('vera@example.com');
  await holders.nth(0).getByLabel('Имя на билете').fill('Вера');
  await holders.nth(0).getByLabel('Вегетарианское').check();
  await holders.nth(0).getByLabel(/Компания/).fill('Рога и копыта');
  await holders.nth(1).getByLabel('Имя на билете').fill('Пётр');
  await picker.submitButton().click();

  // The second holder's diet is missing: its error is tied to the radios, the focus is on the first of them, the typed values stay.
  const missing = holders.nth(1).getByTestId(`field-items-0-holders-1-answers-${diet.id}-error`);
  await expect(missing).toHaveText('Обязательное поле.');
  const firstRadio = holders.nth(1).getByLabel('Вегетарианское');
  await expect(firstRadio).toBeFocused();
  await expect(firstRadio).toHaveAttribute('aria-describedby', `field-items-0-holders-1-answers-${diet.id}-error`);
  await expect(holders.nth(0).getByLabel(/Компания/)).toHaveValue('Рога и копыта');
  await expect(holders.nth(1).getByLabel('Имя на билете')).toHaveValue('Пётр');
  await expect(guestPage).toHaveURL(new RegExp(`/e/${event.slug}$`));

  await holders.nth(1).getByLabel('Любое').check();
  await expect(missing).toHaveCount(0);
  await picker.submitButton().click();
  await guestPage.waitForURL(/\/o\/[A-Za-z0-9_-]{43}$/);
  const answers = guestPage.getByTestId('guest-answers');
  await expect(answers).toContainText('Билет 1 · Гость · Вера');
  await expect(answers).toContainText('Вегетарианское');
  await expect(answers).toContainText('Рога и копыта');
  await expect(answers).toContainText('Билет 2 · Гость · Пётр');
  await expect(answers).toContainText('Любое');
  await guest.close();

  // The organiser: a column per question with each holder's answer; a column can be hidden.
  await page.goto(`/events/${event.id}/attendees`);
  const rows = page.getByTestId('attendee-row');
  await expect(rows).toHaveCount(2);
  const cells = (name: string) => rows.filter({ hasText: name }).getByTestId('attendee-answer');
  await expect(cells('Вера')).toHaveText(['Вегетарианское', 'Рога и копыта']);
  await expect(cells('Пётр').first()).toHaveText('Любое');
  await page.getByTestId('attendees-question-columns').locator('summary').click();
  await page.getByTestId('attendees-question-toggle').nth(1).uncheck();
  await expect(cells('Вера')).toHaveText(['Вегетарианское']);
  await expect(page.getByRole('columnheader', { name: 'Компания' })).toHaveCount(0);
  // Search finds a guest by an answer.
  await page.getByTestId('attendees-search').fill('копыта');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Вера');

  const csv = await api.get(`/api/events/${event.id}/registrations.csv`);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(lines[0]).toMatch(/,Питание,Компания$/);
  expect(lines.find((line) => line.includes('Вера'))).toMatch(/,Вегетарианское,Рога и копыта$/);
  expect(lines.find((line) => line.includes('Пётр'))).toMatch(/,Любое,$/);
  expect(company.id).toBeTruthy();
});

test('the Questions panel: add a choice, move it with the keyboard, preview the form, delete after a confirmation', async ({ page, api, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: 'Panel event', maxParticipants: 10 });
  await post(api, `/api/events/${event.id}/questions`, { label: 'Company', kind: 'text' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/events/${event.id}`);
  const panel = page.getByTestId('questions-panel');
  await expect(panel.getByTestId('question-row')).toHaveCount(1);

  await panel.getByTestId('question-add').click();
  await expect(panel.getByTestId('question-label')).toBeFocused();
  await panel.getByTestId('question-save').click();
  await expect(panel.getByTestId('question-form-error')).toHaveText('Some fields need attention.');
  await expect(panel.getByTestId('question-label-error')).toHaveText('Required.');
  await panel.getByTestId('question-label').fill('T-shirt size');
  await panel.getByTestId('question-kind').selectOption('choice');
  await panel.getByTestId('question-option').nth(0).fill('S');
  await panel.getByTestId('question-option').nth(1).fill('M');
  await panel.getByTestId('question-required').check();
  await panel.getByTestId('question-save').click();
  await expect(panel.getByTestId('question-row')).toHaveCount(2);
  await expect(panel.getByTestId('question-row').nth(1)).toContainText('T-shirt size');

  // Keyboard: focus "move up" on the new question, Enter; it moves first and the focus follows it.
  const up = panel.getByRole('button', { name: 'Move “T-shirt size” up' });
  await up.focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('question-row').nth(0)).toContainText('T-shirt size');
  await expect(panel.getByRole('button', { name: 'Move “T-shirt size” down' })).toBeFocused();

  await panel.getByTestId('questions-preview-toggle').click();
  const preview = panel.getByTestId('questions-preview');
  await expect(preview.getByRole('group', { name: /T-shirt size/ })).toBeVisible();
  await expect(preview.getByLabel(/Company/)).toBeVisible();

  await panel.getByRole('button', { name: 'Delete “Company”' }).click();
  await page.getByTestId('question-delete-confirm').click();
  await expect(panel.getByTestId('question-row')).toHaveCount(1);
  const listed = await api.get(`/api/events/${event.id}/questions`);
  const { questions } = ((await listed.json()) as { data: { questions: { label: string; required: boolean; options: { label: string }[] }[] } }).data;
  expect(questions).toMatchObject([{ label: 'T-shirt size', required: true, options: [{ label: 'S' }, { label: 'M' }] }]);
});

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

test('the questions on the guest forms, the answers on /r, the panel and the attendee columns have no serious or critical violation', async ({ page, api, browser, baseURL, organiser: _organiser }) => {
  test.setTimeout(120_000);
  const event = await createEventViaApi(api, { maxParticipants: 10 });
  await post(api, `/api/events/${event.id}/questions`, { label: 'Company', kind: 'text', required: true, help: 'For the badge' });
  await post(api, `/api/events/${event.id}/questions`, { label: 'Diet', kind: 'multi_choice', options: [{ label: 'Vegan' }, { label: 'No nuts' }] });
  await post(api, `/api/events/${event.id}/questions`, { label: 'Photos are fine', kind: 'checkbox', required: true });

  const guest = await browser.newContext({ baseURL });
  const guestPage = await guest.newPage();
  await guestPage.goto(`/e/${event.slug}`);
  await guestPage.getByTestId('register-submit').click();
  await expect(guestPage.getByTestId(/field-answers-.*-error/).first()).toBeVisible();
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guestPage.getByLabel('Name', { exact: true }).fill('Axe Guest');
  await guestPage.getByLabel('Email', { exact: true }).fill('axe-questions@example.com');
  await guestPage.getByLabel(/Company/).fill('Acme');
  await guestPage.getByLabel(/Photos are fine/).check();
  await guestPage.getByTestId('register-submit').click();
  await guestPage.getByTestId('manage-link').click();
  await expect(guestPage.getByTestId('guest-answers')).toContainText('Acme');
  await guestPage.getByTestId('edit-answers').click();
  expect(await seriousViolations(guestPage)).toEqual([]);
  await guest.close();

  await page.goto(`/events/${event.id}`);
  await page.getByTestId('questions-preview-toggle').click();
  await page.getByTestId('question-add').click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto(`/events/${event.id}/attendees`);
  await expect(page.getByTestId('attendee-answer').first()).toHaveText('Acme');
  expect(await seriousViolations(page)).toEqual([]);
});
