import { clientAddress, expect, test } from '../support/fixtures';
import { holdAnswerAfterCommit, offlineAfterSend } from '../support/chaos';
import { recordMutations } from '../support/replay';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { EventsPage } from '../pages/events.po';
import { eventsTitled, uniqueTitle } from './helpers';

const createsEvent = (url: string) => new URL(url).pathname === '/api/events';

test('creates an event within the plan limit; it appears in the list', async ({ page, organiser: _organiser, api }) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Within limit');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(10), endsAt: futureWallTime(10, '21:00'), maxParticipants: 25 });
  await form.submitButton().click();
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-title')).toHaveText(title);

  const events = new EventsPage(page);
  await events.goto();
  await expect(events.row(title)).toBeVisible();
  await expect(events.row(title).getByTestId('event-status')).toHaveText('Published');
  expect(await eventsTitled(api, title)).toHaveLength(1);
});

test('an event created in Asia/Kathmandu shows its times in that zone', async ({ page, organiser: _organiser }) => {
  // The browser is elsewhere, so a time shown in the browser's zone could not pass.
  const form = new EventFormPage(page);
  await form.gotoNew();
  await form.fill({
    title: uniqueTitle('Kathmandu'),
    startsAt: '2031-03-01T18:00',
    endsAt: '2031-03-01T21:30',
    timezone: 'Asia/Kathmandu',
    maxParticipants: 10,
  });
  await form.submitButton().click();
  const id = await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-when')).toHaveText(/Mar 1, 2031, 6:00\s*–\s*9:30\s*PM/);
  await expect(page.getByTestId('event-zone')).toContainText('Asia/Kathmandu (GMT+5:45)');

  const response = await page.request.get(`/api/events/${id}`);
  const { data } = (await response.json()) as { data: { event: { startsAt: string; endsAt: string; timezone: string } } };
  expect(data.event).toMatchObject({
    startsAt: '2031-03-01T12:15:00.000Z',
    endsAt: '2031-03-01T15:45:00.000Z',
    timezone: 'Asia/Kathmandu',
  });

  await form.gotoEdit(id);
  await expect(form.field('startsAt')).toHaveValue('2031-03-01T18:00');
  await expect(form.field('timezone')).toHaveValue('Asia/Kathmandu');
});

test('the time zone defaults to the browser’s', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, timezoneId: 'America/St_Johns' });
  const page = await context.newPage();
  await page.request.post('/api/auth/sign-up', {
    data: { email: `tz-${Date.now()}@example.com`, password: 'password-1234' },
    headers: { 'x-forwarded-for': clientAddress() },
  });
  const form = new EventFormPage(page);
  await form.gotoNew();
  await expect(form.field('timezone')).toHaveValue('America/St_Johns');
  await context.close();
});

test('a double click on the submit button sends one POST and makes one event', async ({ page, organiser: _organiser, api }) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Double click');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(5), endsAt: futureWallTime(5, '20:00'), maxParticipants: 12 });
  const posts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && createsEvent(request.url())) posts.push(request.url());
  });
  await form.submitButton().dblclick();
  await form.expectLandedOnEvent();
  expect(posts).toHaveLength(1);
  expect(await eventsTitled(api, title)).toHaveLength(1);
});

test('a POST whose answer is lost is retried with the same key, and one event exists', async ({ page, organiser: _organiser, api }) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Lost answer');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(6), endsAt: futureWallTime(6, '20:00'), maxParticipants: 15 });

  let dropped = false;
  await page.route(
    (url) => createsEvent(url.toString()),
    async (route) => {
      if (dropped || route.request().method() !== 'POST') return route.continue();
      dropped = true;
      // The server creates the event; the browser never hears back.
      await route.fetch();
      await route.abort('connectionreset');
    },
  );
  const recorder = recordMutations(page, createsEvent);
  await form.submitButton().click();
  await form.expectLandedOnEvent();

  const keys = recorder.exchanges.map((exchange) => exchange.request.idempotencyKey);
  expect(keys.length).toBeGreaterThanOrEqual(2);
  expect(new Set(keys).size).toBe(1);
  const retry = await recorder.waitFor((exchange) => exchange.response?.status === 201);
  expect(retry.response.headers['x-idempotency-replay']).toBe('true');
  expect(await eventsTitled(api, title)).toHaveLength(1);
});

test('a validation error from the server lands on its field and keeps every value', async ({ page, organiser: _organiser }) => {
  const form = new EventFormPage(page);
  await form.gotoNew();
  const input = { title: uniqueTitle('Server says no'), startsAt: futureWallTime(4), endsAt: futureWallTime(4, '20:00'), maxParticipants: 5000 };
  await form.fill(input);
  await form.submitButton().click();
  // Over the 1,000 an upgraded event may have: the server's rule, not the form's.
  await expect(page.getByTestId('maxParticipants-error')).toHaveText('At most 1,000 participants, even with a credit.');
  await expect(form.field('title')).toHaveValue(input.title);
  await expect(form.field('startsAt')).toHaveValue(input.startsAt);
  await expect(form.field('maxParticipants')).toHaveValue('5000');
});

test('the whole create flow in Russian', async ({ page, organiser: _organiser, api, baseURL }) => {
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await page.goto('/events');
  await expect(page.getByRole('heading', { name: 'Ваши события' })).toBeVisible();
  await expect(page.getByText('Событий пока нет')).toBeVisible();
  await page.getByRole('link', { name: 'Создать событие' }).click();

  const form = new EventFormPage(page, 'ru');
  await expect(form.submitButton()).toBeEnabled();
  await form.submitButton().click();
  await expect(page.getByTestId('title-error')).toHaveText('От 3 до 120 символов.');

  const title = uniqueTitle('Встреча');
  await form.fill({ title, startsAt: futureWallTime(8), endsAt: futureWallTime(8, '20:00'), url: 'https://meet.example.com/x', maxParticipants: 20 });
  await form.submitButton().click();
  await form.expectLandedOnEvent();
  await expect(page.getByText('Событие создано.')).toBeVisible();
  await expect(page.getByTestId('event-status')).toHaveText('Опубликовано');
  await expect(page.getByTestId('event-zone')).toContainText('Время указано в часовом поясе события');
  expect(await eventsTitled(api, title)).toHaveLength(1);
});

test('the language switch keeps what was typed', async ({ page, organiser: _organiser }) => {
  const form = new EventFormPage(page);
  await form.gotoNew();
  await form.field('title').fill('Typed before switching');
  await page.getByRole('button', { name: 'Русский' }).click();
  const ru = new EventFormPage(page, 'ru');
  await expect(ru.submitButton()).toBeVisible();
  await expect(ru.field('title')).toHaveValue('Typed before switching');
  expect((await page.context().cookies()).find((c) => c.name === 'NEXT_LOCALE')?.value).toBe('ru');
});

test('a reload while the create request is in flight resumes the same attempt: the typed values come back, one event exists', async ({
  page,
  organiser: _organiser,
  api,
}) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Reloaded');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(7), endsAt: futureWallTime(7, '20:00'), maxParticipants: 12 });

  // The first POST reaches the server and commits; its answer never comes back, and the page is reloaded.
  const serverDone = await holdAnswerAfterCommit(page, (url) => createsEvent(url.toString()));
  const recorder = recordMutations(page, createsEvent);
  await form.submitButton().click();
  await serverDone.happened;
  // Reloading aborts the held request; requests of the reloaded page pass.
  await page.reload();

  // The reloaded page asks what became of the attempt, sends it again with the same key, and the server replays.
  await form.expectLandedOnEvent();
  await expect(page.getByTestId('event-title')).toHaveText(title);
  const keys = recorder.exchanges.map((exchange) => exchange.request.idempotencyKey);
  expect(new Set(keys).size).toBe(1);
  expect(await eventsTitled(api, title)).toHaveLength(1);
});

test('an attempt the server never received comes back after a reload with the typed values and is sent again with its key', async ({
  page,
  organiser: _organiser,
  api,
}) => {
  const form = new EventFormPage(page);
  const title = uniqueTitle('Never arrived');
  await form.gotoNew();
  await form.fill({ title, startsAt: futureWallTime(8), endsAt: futureWallTime(8, '20:00'), maxParticipants: 14 });

  // Offline after the click: the request never reaches the server, and the page is reloaded.
  const sent = await offlineAfterSend(page, (url) => createsEvent(url.toString()), { hold: true });
  await form.submitButton().click();
  await sent.happened;
  const key = await page.evaluate(() => JSON.parse(sessionStorage.getItem('attempt:POST /api/events') ?? '{}').correlationId as string);
  expect(key).toMatch(/^[0-9a-f-]{36}$/);
  await page.reload();

  await expect(page.getByTestId('attempt-interrupted')).toBeVisible();
  await expect(form.field('title')).toHaveValue(title);
  const recorder = recordMutations(page, createsEvent);
  await page.getByRole('button', { name: 'Send again' }).click();
  await form.expectLandedOnEvent();
  expect(recorder.exchanges.map((exchange) => exchange.request.idempotencyKey)).toEqual([key]);
  expect(await eventsTitled(api, title)).toHaveLength(1);
});
