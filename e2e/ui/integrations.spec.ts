// /settings/integrations (issue 24) in a real browser at 390 px: an API key is
// created (its secret shown once), used by a server-side client, and revoked
// after a confirmation; a webhook endpoint to a local receiver is created
// (its secret shown once), disabled by a 410 with the page saying so, and
// brought back with "Send test event", the delivery log showing codes and
// attempts, and a retry sending the same message again.
import http from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import type { AddressInfo } from 'node:net';
import { request as playwrightRequest } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { expect, test } from '../support/fixtures';

test.use({ viewport: { width: 390, height: 844 } });

async function seriousViolations(page: import('@playwright/test').Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Nothing sticks out of the 390 px viewport (a table scrolls inside its own
 * region), once the page has settled; the culprits are named on failure.
 */
async function noSidewaysScroll(page: import('@playwright/test').Page) {
  await expect.poll(() => wideElements(page), { timeout: 5000 }).toEqual([]);
}

function wideElements(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)} → ${Math.round(el.getBoundingClientRect().right)}`);
    return [`page ${document.documentElement.scrollWidth} px wide`, ...culprits.slice(-6)];
  });
}

test('API keys: create shows the secret once, the key works as a bearer, revoke refuses it at once', async ({ page, organiser, baseURL }) => {
  await page.goto('/events');
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.waitForURL('**/settings/integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();
  await expect(page.getByTestId('api-keys-empty')).toBeVisible();
  await noSidewaysScroll(page);

  // An empty name: the server's field error under the field.
  await page.getByTestId('api-key-create').click();
  await expect(page.getByTestId('api-key-name-error')).toBeVisible();

  await page.getByLabel('Key name').fill('Spreadsheet sync');
  await page.getByTestId('api-key-create').click();
  const secret = await page.getByTestId('api-key-secret-value').inputValue();
  expect(secret).toMatch(/^evk_/);
  await expect(page.getByTestId('api-key-row')).toHaveCount(1);
  await expect(page.getByTestId('api-key-last-used')).toHaveText('Never');
  await noSidewaysScroll(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('api-key-secret-done').click();
  await expect(page.getByTestId('api-key-secret')).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);

  // A server uses it: no cookies, the organiser's own data.
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const me = await client.get('/api/me');
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { data: { user: { email: string } } }).data.user.email).toBe(organiser.email);
  await page.reload();
  await expect(page.getByTestId('api-key-last-used')).not.toHaveText('Never');

  await page.getByTestId('api-key-revoke').click();
  const dialog = page.getByTestId('revoke-key-dialog');
  await expect(dialog).toContainText('Spreadsheet sync');
  // The dialog holds the focus; Escape closes it and nothing is revoked.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('api-key-row')).toHaveCount(1);
  await page.getByTestId('api-key-revoke').click();
  await page.getByTestId('revoke-key-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('api-keys-empty')).toBeVisible();
  expect((await client.get('/api/me')).status()).toBe(401);
  await client.dispose();
});

test('webhooks: secret once, 410 disables and the page says so, test event and retry deliver', async ({ page, organiser: _organiser }) => {
  // Two deliveries, a reload and two accessibility scans: in CI, beside the reliability suite, this takes longer than the default 30 s.
  test.setTimeout(90_000);
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer = 410;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  try {
    await page.goto('/settings/integrations');
    await expect(page.getByTestId('webhooks-empty')).toBeVisible();
    await page.getByLabel('Endpoint URL').fill(url);
    await page.getByTestId('webhook-event-event.updated').check();
    await page.getByTestId('webhook-create').click();
    const secret = await page.getByTestId('webhook-secret-value').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByTestId('webhook-endpoint');
    await expect(endpoint).toHaveCount(1);
    await expect(endpoint.getByTestId('webhook-status')).toHaveText('Enabled');
    await noSidewaysScroll(page);

    // The receiver answers 410 Gone to the test message: the endpoint is disabled, and the page says so.
    await endpoint.getByTestId('webhook-send-test').click();
    const row = endpoint.getByTestId('webhook-delivery-row').first();
    await expect(row).toHaveAttribute('data-status', 'failed', { timeout: 15_000 });
    await expect(row.getByTestId('webhook-delivery-code')).toHaveText('410');
    await expect(row.getByTestId('webhook-delivery-attempts')).toHaveText('1');
    await noSidewaysScroll(page);
    await page.reload();
    await expect(page.getByTestId('webhook-status')).toHaveText('Disabled');
    await expect(page.getByTestId('webhook-disabled-note')).toContainText('410');
    await noSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);

    // Now it answers 200: retrying the delivery enables the endpoint and delivers the same message.
    answer = 200;
    await page.getByTestId('webhook-toggle-deliveries').click();
    await page.getByTestId('webhook-delivery-retry').click();
    await expect(page.getByTestId('webhook-delivery-row').first()).toHaveAttribute('data-status', 'delivered', { timeout: 15_000 });
    await expect(page.getByTestId('webhook-delivery-attempts').first()).toHaveText('2');
    await expect(page.getByTestId('webhook-status')).toHaveText('Enabled');
    await noSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['webhook-id']).toBe(received[0]?.headers['webhook-id']);
    const last = received[1];
    if (!last) throw new Error('nothing received');
    const message = new Webhook(secret).verify(last.body, last.headers as Record<string, string>) as { type: string };
    expect(message.type).toBe('webhook.test');

    // Delete, after a confirmation.
    await page.getByTestId('webhook-delete').click();
    await page.getByTestId('delete-webhook-confirm').click();
    await expect(page.getByTestId('webhooks-empty')).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test('the page is in Russian for a Russian organiser', async ({ page, organiser: _organiser, context, baseURL }) => {
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await page.goto('/settings/integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Интеграции' })).toBeVisible();
  await expect(page.getByTestId('api-keys-empty')).toHaveText('API-ключей пока нет.');
});
