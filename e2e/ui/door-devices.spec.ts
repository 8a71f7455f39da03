// Door devices (docs/api.md, "Teams, roles and door devices"): the organiser
// adds a device on /events/:id/check-in and gets its link and QR code once; a
// phone with no session opens the link (/door/:id#device=evd_…), loads the
// ticket list, admits a typed reference offline and sends it when back online;
// the organiser revokes the device, and the phone's next contact deletes the
// ticket list and its scans, counting the scan it could not send as lost.
// In English at 1280 px and in Russian at 390 px. Signing out of the app
// forgets the organiser's own scanner data too.
import AxeBuilder from '@axe-core/playwright';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { eventWithTickets } from './helpers';
import { clientAddress, E2E_PASSWORD, expect as baseExpect, test } from '../support/fixtures';
import { ScannerPage } from '../pages/scanner.po';

const expect = baseExpect.configure({ timeout: 20_000 });

// Two browser contexts, a service worker, offline and axe: long on a machine shared with other runs.
test.setTimeout(180_000);


/** Where this spec's events are (eventWithTickets, e2e/ui/helpers.ts). */
const DOOR_EVENT = { timezone: 'Europe/Berlin', location: { type: 'in_person', address: 'Torstraße 1' } };

async function admittedIds(request: APIRequestContext, eventId: string): Promise<string[]> {
  const res = await request.get(`/api/events/${eventId}/check-in/snapshot`);
  const snapshot = ((await res.json()) as { data: { tickets: { id: string; checkedInAt: string | null }[] } }).data;
  return snapshot.tickets.filter((t) => t.checkedInAt).map((t) => t.id);
}

/** What the scanner keeps in this browser's IndexedDB: snapshots, scans and device tokens. */
function scannerStorage(page: Page): Promise<{ snapshots: number; scans: number; tokens: number }> {
  return page.evaluate(
    () =>
      new Promise<{ snapshots: number; scans: number; tokens: number }>((resolve, reject) => {
        const open = indexedDB.open('door-scanner');
        let fresh = false;
        open.onupgradeneeded = () => {
          fresh = true;
        };
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (fresh || !db.objectStoreNames.contains('scans')) {
            db.close();
            resolve({ snapshots: 0, scans: 0, tokens: 0 });
            return;
          }
          const tx = db.transaction(['snapshots', 'scans', 'settings'], 'readonly');
          const snapshots = tx.objectStore('snapshots').count();
          const scans = tx.objectStore('scans').count();
          const keys = tx.objectStore('settings').getAllKeys();
          tx.oncomplete = () => {
            const tokens = (keys.result as IDBValidKey[]).filter((k) => String(k).startsWith('deviceToken:')).length;
            db.close();
            resolve({ snapshots: snapshots.result, scans: scans.result, tokens });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

async function seriousViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

const CASES = [
  { locale: 'en', width: 1280, height: 800, offline: /Offline/ },
  { locale: 'ru', width: 390, height: 844, offline: /Нет сети/ },
] as const;

for (const { locale, width, height, offline } of CASES) {
  test(`a door device scans without a session, offline too, and forgets the event once revoked (${locale}, ${width} px)`, async ({
    page,
    organiser: _organiser,
    api,
    browser,
    baseURL,
  }) => {
    await page.setViewportSize({ width, height });
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: locale, url: baseURL ?? '' }]);
    const { id, tickets } = await eventWithTickets(api, ['Ann Door', 'Bo Door'], DOOR_EVENT);
    const [ann, bo] = tickets;
    if (!ann || !bo) throw new Error('two tickets');

    // The organiser adds a device: its link and QR code, once.
    await page.goto(`/events/${id}/check-in`);
    await expect(page.getByTestId('door-devices-empty')).toBeVisible();
    await page.getByTestId('door-device-name').fill('Front door');
    await page.getByTestId('door-device-create').click();
    await expect(page.getByTestId('door-device-qr')).toBeVisible();
    const url = await page.getByTestId('door-device-link-value').inputValue();
    expect(url).toMatch(new RegExp(`/door/${id}#device=evd_`));
    await expect(page.getByTestId('door-device-row')).toHaveCount(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), `door-devices-checkin-${locale}-${width}.png`), fullPage: true });

    // A phone with no session opens the link: the token leaves the address bar, the ticket list loads.
    const phone = await browser.newContext({ baseURL, viewport: { width, height }, isMobile: width < 500, hasTouch: width < 500 });
    await phone.addCookies([{ name: 'NEXT_LOCALE', value: locale, url: baseURL ?? '' }]);
    const phonePage = await phone.newPage();
    const door = new ScannerPage(phonePage);
    await phonePage.goto(url);
    await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');
    await expect(door.scanner()).toHaveAttribute('data-offline-ready', 'true');
    expect(phonePage.url()).not.toContain('evd_');
    expect(await seriousViolations(phonePage)).toEqual([]);
    expect(phonePage.url()).toMatch(new RegExp(`/door/${id}$`));
    expect((await phone.cookies()).map((c) => c.name)).not.toContain('session');

    // Offline: a typed reference is admitted from the phone's own list, and queued.
    await phone.setOffline(true);
    await expect(door.network()).toHaveText(offline);
    await door.check(ann.reference);
    await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
    await expect(door.resultName()).toHaveText('Ann Door');
    await expect(door.scanner()).toHaveAttribute('data-queued', '1');
    // It reloads offline too (the service worker keeps /door/:id), with the token from its storage.
    await phonePage.reload();
    await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');
    await expect(door.scanner()).toHaveAttribute('data-queued', '1');
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await phonePage.screenshot({ path: path.join(os.tmpdir(), `door-devices-scanner-${locale}-${width}.png`), fullPage: true });

    // Back online: the scan is sent, and the server admitted the ticket.
    await phone.setOffline(false);
    await expect(door.scanner()).toHaveAttribute('data-queued', '0', { timeout: 30_000 });
    expect(await admittedIds(api, id)).toEqual([ann.id]);
    await page.reload();
    await expect(page.getByTestId('door-device-last-sync')).not.toHaveText(/Never|Ни разу/);

    // The organiser revokes it.
    await page.getByTestId('door-device-revoke').click();
    await page.getByTestId('revoke-device-confirm').click();
    await expect(page.getByTestId('door-devices-empty')).toBeVisible();

    // The phone scans once more offline; its next contact is refused: it forgets the event, and the unsent scan is lost, said with its count.
    await phone.setOffline(true);
    await door.check(bo.reference);
    await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
    await expect(door.scanner()).toHaveAttribute('data-queued', '1');
    expect((await scannerStorage(phonePage)).snapshots).toBe(1);
    await phone.setOffline(false);
    await expect(phonePage.getByTestId('scanner-revoked')).toBeVisible({ timeout: 30_000 });
    await expect(phonePage.getByTestId('scanner-lost')).toContainText('1');
    expect(await scannerStorage(phonePage)).toEqual({ snapshots: 0, scans: 0, tokens: 0 });
    expect(await admittedIds(api, id)).toEqual([ann.id]);
    await phonePage.screenshot({ path: path.join(os.tmpdir(), `door-devices-revoked-${locale}-${width}.png`), fullPage: true });
    // Reopened, the page has no token left.
    await phonePage.reload();
    await expect(phonePage.getByTestId('door-no-token')).toBeVisible();
    await phone.close();
  });
}

test("signing out forgets the scanner's ticket list and scans in this browser", async ({ page, organiser, api }) => {
  const { id, tickets } = await eventWithTickets(api, ['Cy Session'], DOOR_EVENT);
  const [cy] = tickets;
  if (!cy) throw new Error('one ticket');
  const door = new ScannerPage(page);
  await door.goto(id);
  await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');
  await door.check(cy.reference);
  await expect(door.scanner()).toHaveAttribute('data-queued', '0');
  expect(await scannerStorage(page)).toMatchObject({ snapshots: 1, scans: 1 });

  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/sign-in/);
  expect(await scannerStorage(page)).toEqual({ snapshots: 0, scans: 0, tokens: 0 });

  // Signed in again: the scan reached the server before it was forgotten.
  const res = await page.request.post('/api/auth/sign-in', { data: { email: organiser.email, password: E2E_PASSWORD }, headers: { 'x-forwarded-for': clientAddress() } });
  expect(res.status()).toBe(200);
  expect(await admittedIds(page.request, id)).toEqual([cy.id]);
});

test('signing out with scans the server did not take asks first: staying keeps them, and they go before the data is forgotten', async ({ page, organiser, api }) => {
  const { id, tickets } = await eventWithTickets(api, ['Di Stuck'], DOOR_EVENT);
  const [di] = tickets;
  if (!di) throw new Error('one ticket');
  const door = new ScannerPage(page);
  await door.goto(id);
  await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');
  // The server cannot be reached for scans (a dead proxy): the scan stays queued.
  await page.route('**/check-in/scans', (route) => route.abort('connectionfailed'));
  await door.check(di.reference);
  await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
  await expect(door.scanner()).toHaveAttribute('data-queued', '1');

  await page.getByTestId('sign-out').click();
  const dialog = page.getByTestId('sign-out-unsent');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('1 door scan has not reached the server yet');
  await page.screenshot({ path: path.join(os.tmpdir(), 'door-devices-sign-out-unsent-en-1280.png'), fullPage: true });
  // Staying signed in keeps the scan queued.
  await dialog.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(dialog).toBeHidden();
  expect(await scannerStorage(page)).toMatchObject({ snapshots: 1, scans: 1 });

  // The network is back: signing out sends it first, then forgets everything.
  await page.unroute('**/check-in/scans');
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/sign-in/);
  expect(await scannerStorage(page)).toEqual({ snapshots: 0, scans: 0, tokens: 0 });
  const res = await page.request.post('/api/auth/sign-in', { data: { email: organiser.email, password: E2E_PASSWORD }, headers: { 'x-forwarded-for': clientAddress() } });
  expect(res.status()).toBe(200);
  expect(await admittedIds(page.request, id)).toEqual([di.id]);
});
