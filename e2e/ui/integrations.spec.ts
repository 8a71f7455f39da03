// /settings/integrations in a real browser at 390 px: an API key is
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
import { IntegrationsPage } from '../pages/integrations.po';
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

test('API keys: create shows the secret once, the key works as a bearer, revoke refuses it at once', async ({ page, organiser: _organiser, baseURL }) => {
  const integrations = new IntegrationsPage(page);
  await page.goto('/events');
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.waitForURL('**/settings/integrations');
  await expect(integrations.heading()).toBeVisible();
  await expect(integrations.apiKeysEmpty()).toBeVisible();
  await noSidewaysScroll(page);

  // An empty name: the server's field error under the field.
  await integrations.createApiKey();
  await expect(integrations.apiKeyNameError()).toBeVisible();

  await integrations.apiKeyName().fill('Spreadsheet sync');
  await integrations.createApiKey();
  const secret = await integrations.apiKeySecretValue();
  expect(secret).toMatch(/^evk_/);
  await expect(integrations.apiKeyRows()).toHaveCount(1);
  await expect(integrations.apiKeyLastUsed()).toHaveText('Never');
  await noSidewaysScroll(page);
  expect(await seriousViolations(page)).toEqual([]);
  await integrations.dismissApiKeySecret();
  await expect(integrations.apiKeySecret()).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);

  // A server uses it: no cookies, the team's own data (a key acts as its team, and is no user: /api/me is not for it).
  const client = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` } });
  const listed = await client.get('/api/events');
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { data: { events: unknown[] } }).data.events).toEqual([]);
  expect((await client.get('/api/me')).status()).toBe(403);
  await page.reload();
  await expect(integrations.apiKeyLastUsed()).not.toHaveText('Never');

  await integrations.revokeApiKeyButton().click();
  const dialog = integrations.revokeDialog();
  await expect(dialog).toContainText('Spreadsheet sync');
  // The dialog holds the focus; Escape closes it and nothing is revoked.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(integrations.apiKeyRows()).toHaveCount(1);
  await integrations.revokeApiKeyButton().click();
  await integrations.confirmRevoke();
  await expect(dialog).toBeHidden();
  await expect(integrations.apiKeysEmpty()).toBeVisible();
  expect((await client.get('/api/events')).status()).toBe(401);
  await client.dispose();
});

test('webhooks: secret once, 410 disables and the page says so, test event and retry deliver', async ({ page, organiser: _organiser }) => {
  // Two deliveries, a reload and two accessibility scans: on a busy 2-core machine this takes longer than the default 30 s.
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
    const integrations = new IntegrationsPage(page);
    await integrations.goto();
    await expect(integrations.webhooksEmpty()).toBeVisible();
    await integrations.createWebhook(url, 'event.updated');
    const secret = await integrations.webhookSecretValue();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = integrations.endpoints();
    await expect(endpoint).toHaveCount(1);
    await expect(integrations.webhookStatus(endpoint)).toHaveText('Enabled');
    await noSidewaysScroll(page);

    // The receiver answers 410 Gone to the test message: the endpoint is disabled, and the page says so.
    await integrations.sendTestEvent(endpoint);
    const row = integrations.deliveryRows(endpoint).first();
    await expect(row).toHaveAttribute('data-status', 'failed', { timeout: 15_000 });
    await expect(integrations.deliveryCode(row)).toHaveText('410');
    await expect(integrations.deliveryAttempts(row)).toHaveText('1');
    await noSidewaysScroll(page);
    await page.reload();
    await expect(integrations.webhookStatus()).toHaveText('Disabled');
    await expect(integrations.webhookDisabledNote()).toContainText('410');
    await noSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);

    // Now it answers 200: retrying the delivery enables the endpoint and delivers the same message.
    answer = 200;
    await integrations.toggleDeliveries();
    await integrations.retryDelivery();
    await expect(integrations.deliveryRows().first()).toHaveAttribute('data-status', 'delivered', { timeout: 15_000 });
    await expect(integrations.deliveryAttempts().first()).toHaveText('2');
    await expect(integrations.webhookStatus()).toHaveText('Enabled');
    await noSidewaysScroll(page);
    expect(await seriousViolations(page)).toEqual([]);
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['webhook-id']).toBe(received[0]?.headers['webhook-id']);
    const last = received[1];
    if (!last) throw new Error('nothing received');
    const message = new Webhook(secret).verify(last.body, last.headers as Record<string, string>) as { type: string };
    expect(message.type).toBe('webhook.test');

    // Delete, after a confirmation.
    await integrations.deleteWebhook();
    await expect(integrations.webhooksEmpty()).toBeVisible();
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test('the page is in Russian for a Russian organiser', async ({ page, organiser: _organiser, context, baseURL }) => {
  await context.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  const integrations = new IntegrationsPage(page);
  await integrations.goto();
  await expect(integrations.heading('Интеграции')).toBeVisible();
  await expect(integrations.apiKeysEmpty()).toHaveText('API-ключей пока нет.');
});
