// The organiser's numbers in a real browser: the event page's dashboard after
// a TEST-provider purchase and a check-in (its chart's table, axe), the events
// list's sold and revenue, the attendee list's type and order columns with the
// paid ticket's refund dialog, and the billing history's titles; in English at
// 1280 px and in Russian at 390 px.
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { AttendeesPage } from '../pages/attendees.po';
import { BillingPage } from '../pages/billing.po';
import { EventsPage } from '../pages/events.po';
import { isEmbeddedUrl } from '../../lib/db/embedded-url';
import { clientAddress, e2eDatabaseUrl, expect, test } from '../support/fixtures';
import { createEventViaApi, uniqueTitle } from './helpers';

const key = () => ({ 'Idempotency-Key': randomUUID() });

async function data<T>(response: Promise<import('@playwright/test').APIResponse>, what: string): Promise<T> {
  const res = await response;
  if (res.status() >= 300) throw new Error(`${what}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { data: T }).data;
}

/** A ticketed event (Standard at 25.00 EUR) with one paid order of two tickets, one of them checked in. */
async function soldEvent(api: APIRequestContext, title: string, overrides: Record<string, unknown> = {}) {
  const event = await createEventViaApi(api, { title, maxParticipants: 10, ...overrides });
  const { ticketType } = await data<{ ticketType: { id: string } }>(
    api.post(`/api/events/${event.id}/ticket-types`, { headers: key(), data: { name: 'Standard', price: { amount: 2500, currency: 'EUR' } } }),
    'ticket type',
  );
  const placed = await data<{ order: { number: number }; manageUrl: string }>(
    api.post(`/api/public/events/${event.slug}/orders`, {
      headers: { ...key(), 'X-Forwarded-For': clientAddress() },
      data: { name: 'Anna Guest', email: 'anna@example.com', items: [{ ticketTypeId: ticketType.id, quantity: 2 }] },
    }),
    'order',
  );
  await api.get(`${placed.manageUrl}/pay`);
  await data(api.post(`/api/public/orders/${placed.manageUrl.slice(3)}/test-pay`, { headers: key(), data: { outcome: 'paid' } }), 'payment');
  const { registrations } = await data<{ registrations: { id: string }[] }>(api.get(`/api/events/${event.id}/registrations`), 'attendees');
  const first = registrations[0]?.id ?? '';
  await data(api.post(`/api/events/${event.id}/registrations/${first}/check-in`, { headers: key() }), 'check-in');
  return { event, orderNumber: placed.order.number, ticketIds: registrations.map((r) => r.id) };
}

async function seriousViolations(page: Page, include: string) {
  const { violations } = await new AxeBuilder({ page }).include(include).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

test('the event page shows tickets sold, revenue and check-ins, with the chart’s numbers as a table', async ({ page, api, organiser: _organiser }) => {
  const empty = await createEventViaApi(api, { title: uniqueTitle('Nothing sold'), maxParticipants: 10 });
  await page.goto(`/events/${empty.id}`);
  await expect(page.getByTestId('dashboard-empty')).toHaveText('No sales yet. Tickets sold show here, day by day.');

  const { event } = await soldEvent(api, uniqueTitle('Dashboard night'));
  await page.goto(`/events/${event.id}`);
  const dashboard = page.getByTestId('event-dashboard');
  await expect(dashboard.getByTestId('dashboard-sold')).toHaveText('2 / 10');
  await expect(dashboard.getByTestId('dashboard-revenue')).toHaveText('€50.00');
  await expect(dashboard.getByTestId('dashboard-checked-in')).toHaveText('1');
  // The chart draws (lazy-loaded) and its table holds the same numbers, for screen readers and on demand.
  await expect(dashboard.getByTestId('dashboard-chart').locator('svg.recharts-surface')).toBeVisible();
  const rows = dashboard.getByTestId('dashboard-sales-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first().locator('td')).toHaveText(['2', '€50.00']);
  await dashboard.getByTestId('dashboard-table-toggle').click();
  await expect(dashboard.getByTestId('dashboard-sales-table')).toBeVisible();
  await expect(dashboard.getByTestId('dashboard-chart')).toHaveCount(0);
  await expect(dashboard.getByTestId('dashboard-table-toggle')).toHaveText('Show as chart');
  expect(await seriousViolations(page, '[data-testid="event-dashboard"]')).toEqual([]);
  expect(await seriousViolations(page, '[data-testid="event-action-bar"]')).toEqual([]);

  // The action bar: the public page, share, edit, and cancel under "More".
  const bar = page.getByTestId('event-action-bar');
  await expect(bar.getByTestId('event-view-public')).toHaveAttribute('href', `/e/${event.slug}`);
  await expect(bar.getByTestId('copy-public-link')).toHaveText('Share');
  await bar.getByTestId('event-more').click();
  await expect(page.getByRole('menuitem', { name: 'Cancel event' })).toBeVisible();
  await page.keyboard.press('Escape');

  // The events list: sold and revenue per event.
  const events = new EventsPage(page);
  await events.goto();
  await expect(events.row(event.title).getByTestId('event-sold')).toHaveText('2 / 10');
  await expect(events.row(event.title).getByTestId('event-revenue')).toHaveText('€50.00');
  // An event that sells nothing has no revenue to show.
  await expect(events.row(empty.title).getByTestId('event-revenue')).toHaveText('—');
});

test('while the doors are open the numbers are read again every 15 s', async ({ page, api, organiser: _organiser }) => {
  // Starting within the hour: the doors are open (two hours before the start) and the dashboard is live.
  const startsAt = new Date(Date.now() + 3_600_000);
  const { event, ticketIds } = await soldEvent(api, uniqueTitle('Doors open'), {
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
  });
  await page.clock.install();
  await page.goto(`/events/${event.id}`);
  const dashboard = page.getByTestId('event-dashboard');
  await expect(dashboard.getByTestId('dashboard-live')).toBeVisible();
  await expect(dashboard.getByTestId('dashboard-checked-in')).toHaveText('1');
  // The second ticket is admitted at the door, elsewhere; the next read shows it.
  await data(api.post(`/api/events/${event.id}/registrations/${ticketIds[1]}/check-in`, { headers: key() }), 'check-in');
  await expect(dashboard.getByTestId('dashboard-checked-in')).toHaveText('1');
  await page.clock.runFor(16_000);
  await expect(dashboard.getByTestId('dashboard-checked-in')).toHaveText('2');

  // A hidden tab asks nothing; shown again, it reads at once.
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { value, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  await setVisibility('hidden');
  let reads = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/events/${event.id}`) reads += 1;
  });
  await page.clock.runFor(60_000);
  expect(reads).toBe(0);
  await setVisibility('visible');
  await expect.poll(() => reads).toBe(1);
});

test('the attendee list tells tickets apart, and cancelling a paid ticket goes through its refund dialog', async ({ page, api, organiser: _organiser }) => {
  const { event, orderNumber } = await soldEvent(api, uniqueTitle('Two Annas'));
  const attendees = new AttendeesPage(page);
  await attendees.goto(event.id);
  await expect(attendees.rows()).toHaveCount(2);
  for (const row of await attendees.rows().all()) {
    await expect(row.getByTestId('attendee-ticket-type')).toHaveText('Standard');
    await expect(row.getByTestId('attendee-order')).toHaveText(`#${orderNumber}`);
  }
  await expect(page.getByRole('columnheader', { name: 'Ticket type' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Order' })).toBeVisible();
  await attendees.rows().first().getByTestId('attendee-cancel').click();
  const dialog = page.getByTestId('cancel-registration-dialog');
  await expect(dialog).toContainText(`refunds €25.00`);
  await expect(dialog.getByTestId('cancel-registration-confirm')).toHaveText('Cancel and refund €25.00');
  await dialog.getByTestId('cancel-registration-keep').click();
  await expect(dialog).toBeHidden();
});

test('billing names the event a credit upgraded and translates reasons; the operator command only on the embedded database', async ({
  page,
  api,
  organiser,
}) => {
  await organiser.grantCredits(1);
  const title = uniqueTitle('Big conference');
  const res = await api.post('/api/events?confirm_credit=1', {
    headers: key(),
    data: { ...(await createBody(title)), maxParticipants: 100 },
  });
  expect(res.status(), await res.text()).toBe(201);
  const billing = new BillingPage(page);
  await billing.goto();
  await expect(billing.ledgerRows()).toHaveCount(2);
  await expect(billing.ledgerRows().first()).toContainText('Event upgrade');
  await expect(billing.ledgerRows().first().getByRole('link', { name: title })).toBeVisible();
  await expect(billing.ledgerRows().nth(1)).toContainText('Adjustment');
  // `npm test` with no server runs this suite on the embedded PGlite, where the page shows it (docs/api.md, "Credits").
  await expect(page.getByTestId('billing-operator-command')).toHaveCount(isEmbeddedUrl(e2eDatabaseUrl()) ? 1 : 0);
});

async function createBody(title: string) {
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  return {
    title,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
    timezone: 'Europe/Berlin',
    location: { type: 'in_person', address: 'Alexanderplatz 1' },
  };
}

test.describe('in Russian on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });

  test('the dashboard, the events list and the attendee columns', async ({ page, api, organiser: _organiser, context, baseURL }) => {
    await context.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
    const { event, orderNumber } = await soldEvent(api, uniqueTitle('Вечер'));
    await page.goto(`/events/${event.id}`);
    const dashboard = page.getByTestId('event-dashboard');
    await expect(dashboard.getByRole('heading', { name: 'Продажи и посетители' })).toBeVisible();
    await expect(dashboard.getByTestId('dashboard-sold')).toHaveText('2 / 10');
    await expect(dashboard.getByTestId('dashboard-revenue')).toHaveText(/50,00\s€/);
    await expect(dashboard.getByTestId('dashboard-checked-in')).toHaveText('1');
    await dashboard.getByRole('button', { name: 'Показать таблицей' }).click();
    await expect(dashboard.getByTestId('dashboard-sales-table')).toBeVisible();
    await expect(page.getByTestId('event-action-bar').getByRole('button', { name: 'Поделиться' })).toBeVisible();
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.goto('/events');
    await expect(page.getByTestId('event-row').filter({ hasText: event.title }).getByTestId('event-revenue')).toHaveText(/50,00\s€/);

    await page.goto(`/events/${event.id}/attendees`);
    const row = page.getByTestId('attendee-row').first();
    await expect(row.getByTestId('attendee-ticket-type')).toHaveText('Standard');
    await expect(row.getByTestId('attendee-order')).toHaveText(`№${orderNumber}`);
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});

test('a new organiser is asked for the currency; once set in settings, the ticket-type form names it', async ({ page, api, organiser: _organiser }) => {
  const event = await createEventViaApi(api, { title: uniqueTitle('Currency'), maxParticipants: 10 });
  await page.goto(`/events/${event.id}`);
  // No default yet: the form asks, with nothing chosen (never the interface language's currency).
  await expect(page.getByTestId('ticket-type-currency')).toHaveValue('');

  await page.goto('/settings');
  await page.getByLabel('Currency', { exact: true }).selectOption('CHF');
  await page.getByTestId('currency-save').click();
  await expect(page.getByTestId('currency-saved')).toHaveText('Saved: new ticket types are priced in CHF.');

  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId('ticket-type-currency-note')).toHaveText('Prices in CHF, your default currency. Change in settings');
  await page.getByLabel('Name', { exact: true }).fill('Standard');
  await page.getByLabel('Price (0 for free)').fill('15.00');
  await page.getByTestId('ticket-type-add').click();
  await expect(page.getByTestId('ticket-type-currency-note')).toHaveText('Prices in CHF: an event sells in one currency, fixed by its first ticket type.');
  const res = await api.get(`/api/events/${event.id}/ticket-types`);
  const { ticketTypes } = ((await res.json()) as { data: { ticketTypes: { price: { amount: number; currency: string } }[] } }).data;
  expect(ticketTypes.map((type) => type.price)).toEqual([{ amount: 1500, currency: 'chf' }]);
});
