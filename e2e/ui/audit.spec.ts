// The audit log page (/settings/audit) and scoped API keys on
// /settings/integrations, in a real browser: the owner refunds an order and
// finds the entry (who, what, how much), filters it away and back; on a phone
// in Russian the entries are cards. A key is created with the scopes chosen
// on the form (all checked at first), its scopes shown in the list, and a
// request outside them is refused with INSUFFICIENT_SCOPE.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { createPool } from '../../lib/db/pool';
import { clientAddress, E2E_PASSWORD, e2eDatabaseUrl, expect, test } from '../support/fixtures';
import { createEventViaApi, overflowing } from './helpers';

/** A published event with one €20 ticket type, and one guest's order, paid through the test provider. */
async function paidOrder(api: APIRequestContext): Promise<{ eventId: string; orderId: string }> {
  const event = await createEventViaApi(api, { title: 'Audit Night', maxParticipants: 10 });
  const type = await api.post(`/api/events/${event.id}/ticket-types`, { headers: { 'Idempotency-Key': randomUUID() }, data: { name: 'Standard', price: { amount: 2000, currency: 'EUR' } } });
  expect(type.status()).toBe(201);
  const typeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
  const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Guest', email: 'guest@example.com', items: [{ ticketTypeId: typeId, quantity: 1 }] },
  });
  expect(placed.status()).toBe(201);
  const { manageUrl, order } = ((await placed.json()) as { data: { manageUrl: string; order: { id: string } } }).data;
  await api.get(`${manageUrl}/pay`);
  const paid = await api.post(`/api/public/orders/${manageUrl.slice(3)}/test-pay`, { headers: { 'Idempotency-Key': randomUUID() }, data: { outcome: 'paid' } });
  expect(paid.status()).toBe(200);
  return { eventId: event.id, orderId: order.id };
}

async function refund(api: APIRequestContext, where: { eventId: string; orderId: string }, amount: number, headers: Record<string, string> = {}) {
  return api.post(`/api/events/${where.eventId}/orders/${where.orderId}/refund`, { headers: { 'Idempotency-Key': randomUUID(), ...headers }, data: { amount } });
}

async function shoot(page: Page, name: string) {
  const file = path.join(os.tmpdir(), name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

test.describe('the audit log, en at 1280 px', () => {
  test.use({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });

  test('the owner finds a refund in the audit log, with who and how much, and filters it', async ({ page, api, organiser }) => {
    const order = await paidOrder(api);
    const refunded = await refund(api, order, 750);
    expect(refunded.status(), await refunded.text()).toBe(201);

    await page.goto('/settings');
    await page.getByTestId('audit-link').click();
    await page.waitForURL('**/settings/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    const row = page.getByTestId('audit-row').filter({ hasText: 'Order refunded' });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('audit-details')).toHaveText('€7.50 · by the organiser');
    await expect(row.getByTestId('audit-actor')).toHaveText(organiser.name);
    await expect(row.getByRole('link', { name: 'Open event' })).toHaveAttribute('href', `/events/${order.eventId}`);
    await shoot(page, 'audit-en-1280.png');

    // Only what API keys did: none yet, and the empty state says the filters are why.
    await page.getByLabel('Who').selectOption('api_key');
    await page.getByTestId('audit-filter-apply').click();
    await page.waitForURL(/actor=api_key/);
    await expect(page.getByTestId('audit-empty')).toHaveText('No entries match these filters.');
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(/\/settings\/audit$/);
    await page.getByLabel('Action').selectOption('order.refunded');
    await page.getByTestId('audit-filter-apply').click();
    await page.waitForURL(/action=order\.refunded/);
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
  });

  test('a key is created with the scopes chosen, lists them, and is refused outside them', async ({ page, api, baseURL, organiser: _organiser }) => {
    const order = await paidOrder(api);
    await page.goto('/settings/integrations');
    const form = page.getByTestId('api-key-form');
    // Every scope is checked at first.
    for (const scope of ['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']) {
      await expect(form.getByTestId(`api-key-scope-${scope}`)).toBeChecked();
    }
    await expect(form.getByText('Refund orders and send failed refunds again.')).toBeVisible();

    // None at all: refused on the form, nothing created.
    for (const scope of ['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks']) await form.getByTestId(`api-key-scope-${scope}`).uncheck();
    await page.getByLabel('Key name').fill('Reporting');
    await page.getByTestId('api-key-create').click();
    await expect(page.getByTestId('api-key-scopes-error')).toHaveText('Choose at least one scope.');
    await expect(page.getByTestId('api-keys-empty')).toBeVisible();

    await form.getByTestId('api-key-scope-orders:read').check();
    await expect(page.getByTestId('api-key-scopes-error')).toBeHidden();
    await page.getByTestId('api-key-create').click();
    const secret = await page.getByTestId('api-key-secret-value').inputValue();
    expect(secret).toMatch(/^evk_/);
    await page.getByTestId('api-key-secret-done').click();
    await expect(page.getByTestId('api-key-row')).toHaveCount(1);
    await expect(page.getByTestId('api-key-scopes')).toHaveText('Read orders');
    // The form is back to every scope for the next key.
    await expect(form.getByTestId('api-key-scope-webhooks')).toBeChecked();
    await shoot(page, 'integrations-scopes-en-1280.png');

    // The key reads orders but may not refund them.
    const client = await playwrightRequest.newContext({ baseURL });
    try {
      const listed = await client.get(`/api/events/${order.eventId}/orders`, { headers: { authorization: `Bearer ${secret}` } });
      expect(listed.status()).toBe(200);
      const refused = await refund(client, order, 100, { authorization: `Bearer ${secret}` });
      expect(refused.status()).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INSUFFICIENT_SCOPE');
    } finally {
      await client.dispose();
    }

    // A key with every scope says so in one word.
    await page.getByLabel('Key name').fill('Everything');
    await page.getByTestId('api-key-create').click();
    await page.getByTestId('api-key-secret-done').click();
    await expect(page.getByTestId('api-key-row')).toHaveCount(2);
    await expect(page.getByTestId('api-key-row').filter({ hasText: 'Everything' }).getByTestId('api-key-scopes')).toHaveText('All scopes');
  });
});

test.describe('the audit log, ru at 390 px', () => {
  test.use({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });

  test('entries are cards on a phone, in Russian, and nothing scrolls sideways', async ({ page, api, baseURL, organiser: _organiser }) => {
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
    const order = await paidOrder(api);
    expect((await refund(api, order, 2000)).status()).toBe(201);
    const key = await api.post('/api/api-keys', { headers: { 'Idempotency-Key': randomUUID() }, data: { name: 'Бухгалтерия', scopes: ['orders:read', 'orders:refund'] } });
    expect(key.status()).toBe(201);

    await page.goto('/settings/audit');
    await expect(page.getByRole('heading', { level: 1, name: 'Журнал действий' })).toBeVisible();
    await expect(page.getByTestId('audit-row')).toHaveCount(2);
    await expect(page.getByTestId('audit-row').first()).toContainText('Создан API-ключ');
    await expect(page.getByTestId('audit-row').filter({ hasText: 'Возврат по заказу' }).getByTestId('audit-details')).toContainText('по решению организатора');
    expect(await overflowing(page)).toEqual([]);
    await shoot(page, 'audit-ru-390.png');

    await page.goto('/settings/integrations');
    await expect(page.getByTestId('api-key-row').getByTestId('api-key-scopes')).toHaveText('Чтение заказовВозвраты');
    expect(await overflowing(page)).toEqual([]);
    await shoot(page, 'integrations-scopes-ru-390.png');
  });

  test('is not there for a manager: no link, a 404 page, and the API refuses', async ({ page, api, browser, baseURL, organiser }) => {
    // Another organiser's team, where this one is a manager (added as an accepted invitation would).
    const other = await browser.newContext({ baseURL });
    const email = `e2e-owner-${randomUUID().slice(0, 8)}@example.com`;
    const signedUp = await other.request.post('/api/auth/sign-up', { data: { email, password: E2E_PASSWORD, name: 'Владелец' }, headers: { 'x-forwarded-for': clientAddress() } });
    expect(signedUp.status()).toBe(201);
    const created = await other.request.post('/api/teams', { headers: { 'Idempotency-Key': randomUUID() }, data: { name: 'Чужая команда' } });
    expect(created.status()).toBe(201);
    const teamId = ((await created.json()) as { data: { team: { id: string } } }).data.team.id;
    await other.close();
    const me = organiser.id;
    const pool = createPool(e2eDatabaseUrl(), 1);
    try {
      await pool.query(`insert into team_members (team_id, user_id, role) values ($1, $2, 'manager')`, [teamId, me]);
    } finally {
      await pool.end();
    }

    const refused = await api.get(`/api/teams/${teamId}/audit`);
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_FOR_ROLE');
    // Acting in that team (the switcher's cookie): no link on the settings page, and the page itself is not found.
    await page.context().addCookies([{ name: 'team', value: teamId, url: baseURL ?? '' }]);
    await page.goto('/settings');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByTestId('audit-link')).toHaveCount(0);
    const response = await page.goto('/settings/audit');
    expect(response?.status()).toBe(404);
  });
});
