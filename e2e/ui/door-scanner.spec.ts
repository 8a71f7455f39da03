// The door scanner (docs/api.md, "Door check-in") in Chromium with a fake
// camera fed QR codes this test draws: a scan online; three scans offline, a
// reload while offline, and the queue sent when the network is back (exactly
// three admissions on the server); two devices admitting one ticket offline
// (one admission, one conflict, shown on /events/:id/check-in); a reference
// typed by hand while offline, in Russian at 390 px, on a phone without a camera.
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, BrowserType, Page } from '@playwright/test';
import { eventWithTickets } from './helpers';
import { clientAddress, E2E_PASSWORD, expect as baseExpect, test } from '../support/fixtures';
import { writeQrVideo } from '../support/fake-camera';
import { CheckinPage, SAME_CODE_MS, ScannerPage } from '../pages/scanner.po';

const expect = baseExpect.configure({ timeout: 20_000 });

// Browsers of its own, a camera and several page loads on a machine shared with other runs.
test.slow();

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, permissions: ['camera'] };

function launchArgs(video: string): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ];
}

/** The Chromium playwright.config.ts launches (Debian's, or Playwright's own). */
function executablePath(): string | undefined {
  return test.info().project.use.launchOptions?.executablePath;
}


/** Where this spec's events are (eventWithTickets, e2e/ui/helpers.ts). */
const DOOR_EVENT = { timezone: 'Asia/Kathmandu', location: { type: 'in_person', address: 'Durbar Marg 1' } };

async function launchWithCamera(browserType: BrowserType, codes: string[]): Promise<{ browser: Browser; video: string }> {
  const video = await writeQrVideo(path.join(os.tmpdir(), `door-${randomUUID()}.y4m`), codes);
  const browser = await browserType.launch({ executablePath: executablePath(), args: launchArgs(video) });
  return { browser, video };
}

async function signUp(request: APIRequestContext): Promise<string> {
  const email = `door-${randomUUID().slice(0, 8)}@example.com`;
  const res = await request.post('/api/auth/sign-up', {
    data: { email, password: E2E_PASSWORD, name: 'Door Organiser' },
    headers: { 'x-forwarded-for': clientAddress() },
  });
  expect(res.status(), await res.text()).toBe(201);
  return email;
}

async function signIn(request: APIRequestContext, email: string): Promise<void> {
  const res = await request.post('/api/auth/sign-in', { data: { email, password: E2E_PASSWORD }, headers: { 'x-forwarded-for': clientAddress() } });
  expect(res.status(), await res.text()).toBe(200);
}

async function openScanner(context: BrowserContext, eventId: string): Promise<ScannerPage> {
  const scanner = new ScannerPage(await context.newPage());
  await scanner.goto(eventId);
  await expect(scanner.scanner()).toHaveAttribute('data-phase', 'ready');
  // The service worker has the page and its files: it may be reloaded offline from now on.
  await expect(scanner.scanner()).toHaveAttribute('data-offline-ready', 'true');
  return scanner;
}

async function admissionsOf(request: APIRequestContext, eventId: string): Promise<Map<string, string[]>> {
  const res = await request.get(`/api/events/${eventId}/check-in/snapshot`);
  const snapshot = ((await res.json()) as { data: { tickets: { id: string; checkedInAt: string | null }[] } }).data;
  return new Map(snapshot.tickets.filter((t) => t.checkedInAt).map((t) => [t.id, [t.checkedInAt ?? '']]));
}

test('scans online, then three tickets offline, survives a reload offline, and sends exactly three admissions when back online', async ({ playwright, baseURL }) => {
  const browserType = playwright.chromium;
  // The camera shows four tickets in turn; the first is scanned online, the other three offline.
  const setup = await browserType.launch({ executablePath: executablePath(), args: launchArgs('/dev/null') });
  const setupContext = await setup.newContext({ baseURL });
  const email = await signUp(setupContext.request);
  const { id, tickets } = await eventWithTickets(setupContext.request, ['Ann Online', 'Bo Offline', 'Cy Offline', 'Di Offline'], DOOR_EVENT);
  await setup.close();
  const [online, ...offline] = tickets;
  if (!online) throw new Error('no tickets');

  // Online: one ticket.
  const first = await launchWithCamera(browserType, [online.code]);
  try {
    const context = await first.browser.newContext({ ...PHONE, baseURL });
    await signIn(context.request, email);
    const door = await openScanner(context, id);
    await door.startCameraButton().click();
    await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
    await expect(door.resultName()).toHaveText('Ann Online');
    await expect(door.result()).toHaveAttribute('data-server-result', 'admitted');
    await expect(door.scanner()).toHaveAttribute('data-queued', '0');
    expect([...(await admissionsOf(context.request, id)).keys()]).toEqual([online.id]);
    await context.close();
  } finally {
    await first.browser.close();
    await rm(first.video, { force: true });
  }

  // Offline: the other three, on another phone whose camera shows them in turn.
  const second = await launchWithCamera(browserType, offline.map((t) => t.code));
  try {
    const context = await second.browser.newContext({ ...PHONE, baseURL });
    await signIn(context.request, email);
    const door = await openScanner(context, id);
    await context.setOffline(true);
    await expect(door.network()).toHaveText(/Offline/);
    await door.startCameraButton().click();
    const scanner = door.scanner();
    await expect(scanner).toHaveAttribute('data-queued', '3', { timeout: 40_000 });
    await door.stopCameraButton().click();
    expect(await door.historyVerdicts()).toEqual(['admitted', 'admitted', 'admitted']);
    await expect(door.queue()).toHaveText('3 scans waiting to be sent');

    // A reload with the network off: the service worker serves the page, IndexedDB the snapshot and the queue.
    const reloaded = await door.page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect(scanner).toHaveAttribute('data-phase', 'ready');
    await expect(scanner).toHaveAttribute('data-queued', '3');
    await expect(door.historyItems()).toHaveCount(3);
    expect(await door.page.evaluate(() => fetch('/api/me').then(() => 'answered', () => 'failed'))).toBe('failed');
    // Still answering at once, from the device: the first ticket was admitted online before this phone loaded.
    await door.check(online.code);
    await expect(door.result()).toHaveAttribute('data-verdict', 'already_admitted');
    await expect(scanner).toHaveAttribute('data-queued', '4');

    await context.setOffline(false);
    await expect(scanner).toHaveAttribute('data-queued', '0', { timeout: 30_000 });
    const admissions = await admissionsOf(context.request, id);
    expect([...admissions.keys()].sort()).toEqual(tickets.map((t) => t.id).sort());
    // The organiser's count: one admission per ticket, four in all (one online, three offline), no conflict.
    const overview = new CheckinPage(await context.newPage());
    await overview.goto(id);
    await expect(overview.progress()).toHaveAttribute('data-admitted', '4');
    await expect(overview.noConflicts()).toBeVisible();
    await context.close();
  } finally {
    await second.browser.close();
    await rm(second.video, { force: true });
  }
});

test('two phones admit one ticket while offline: one admission, one conflict, both shown to the organiser', async ({ playwright, baseURL }) => {
  const browserType = playwright.chromium;
  const setup = await browserType.launch({ executablePath: executablePath(), args: launchArgs('/dev/null') });
  const setupContext = await setup.newContext({ baseURL });
  const email = await signUp(setupContext.request);
  const { id, tickets } = await eventWithTickets(setupContext.request, ['Eve Twice'], DOOR_EVENT);
  await setup.close();
  const ticket = tickets[0];
  if (!ticket) throw new Error('no ticket');

  const { browser, video } = await launchWithCamera(browserType, [ticket.code]);
  try {
    const phones = await Promise.all([0, 1].map(() => browser.newContext({ ...PHONE, baseURL })));
    const doors: ScannerPage[] = [];
    for (const phone of phones) {
      await signIn(phone.request, email);
      doors.push(await openScanner(phone, id));
      await phone.setOffline(true);
    }
    for (const door of doors) {
      await door.startCameraButton().click();
      await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
      await expect(door.scanner()).toHaveAttribute('data-queued', '1');
    }
    const [firstPhone, secondPhone] = phones;
    const [firstDoor, secondDoor] = doors;
    if (!firstPhone || !secondPhone || !firstDoor || !secondDoor) throw new Error('two phones');
    await firstPhone.setOffline(false);
    await expect(firstDoor.result()).toHaveAttribute('data-server-result', 'admitted', { timeout: 30_000 });
    await secondPhone.setOffline(false);
    await expect(secondDoor.result()).toHaveAttribute('data-server-result', 'conflict', { timeout: 30_000 });
    await expect(secondDoor.resultServer()).toHaveText('Server: Admitted elsewhere');

    // The organiser sees it, with both devices and times.
    const devices = await Promise.all(doors.map((door) => door.deviceId()));
    const overview = new CheckinPage(await firstPhone.newPage());
    await overview.goto(id);
    await expect(overview.progress()).toHaveAttribute('data-admitted', '1');
    const conflict = overview.conflicts();
    await expect(conflict).toHaveCount(1);
    await expect(conflict.getByRole('rowheader')).toHaveText('Eve Twice');
    await expect(conflict.getByTestId('conflict-admission')).toContainText(devices[0] ?? 'none');
    await expect(conflict.getByTestId('conflict-other')).toContainText(devices[1] ?? 'none');
    const summary = (await (await firstPhone.request.get(`/api/events/${id}/check-in/snapshot`)).json()) as { data: { tickets: { checkedInAt: string | null }[] } };
    expect(summary.data.tickets.filter((t) => t.checkedInAt).length).toBe(1);
    for (const phone of phones) await phone.close();
  } finally {
    await browser.close();
    await rm(video, { force: true });
  }
});

async function seriousViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}

test('the scanner at 390 px (green, amber and red answers) and the check-in page have no serious or critical violation', async ({ page, organiser: _organiser, api }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const { id, tickets } = await eventWithTickets(api, ['Fay Access'], DOOR_EVENT);
  const code = tickets[0]?.code ?? '';
  // The page's clock, so that the double-tap window can pass without waiting for it.
  await page.clock.install();
  const door = new ScannerPage(page);
  await door.goto(id);
  await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');
  expect(await seriousViolations(page)).toEqual([]);
  const check = async (typed: string, verdict: string) => {
    await door.check(typed);
    await expect(door.result()).toHaveAttribute('data-verdict', verdict);
    // The focus stays in the code field for the next one.
    await expect(door.manualCode()).toBeFocused();
    expect(await seriousViolations(page)).toEqual([]);
  };
  await check(code, 'admitted');
  await expect(door.resultName()).toHaveText('Fay Access');
  // One character of the signature changed.
  await check(`${code.slice(0, 50)}${code[50] === 'A' ? 'B' : 'A'}${code.slice(51)}`, 'forged');
  // The same code again, after the double-tap window.
  await page.clock.fastForward(SAME_CODE_MS + 100);
  await check(code, 'already_admitted');
  // Nothing overflows the phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const overview = new CheckinPage(page);
  await overview.goto(id);
  await expect(overview.progress()).toHaveAttribute('data-admitted', '1');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a phone without a camera admits by a typed reference while offline (ru, 390 px), answers the same reference again at once, and sends it when back online', async ({
  page,
  organiser: _organiser,
  api,
  baseURL,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  const { id, tickets } = await eventWithTickets(api, ['Гоша Номер', 'Вера Номер'], DOOR_EVENT);
  const [gosha, vera] = tickets;
  if (!gosha || !vera) throw new Error('two tickets');
  const door = new ScannerPage(page);
  await door.goto(id);
  await expect(door.scanner()).toHaveAttribute('data-phase', 'ready');

  // No camera here: manual entry takes over as the primary action, with the focus.
  await door.startCameraButton().click();
  await expect(page.getByText(/Камера здесь недоступна|Доступ к камере не разрешён/)).toBeVisible();
  await expect(door.manualCode()).toBeFocused();
  await expect(door.startCameraButton()).toHaveAttribute('data-variant', 'secondary');
  await expect(page.getByText('Номер билета или код')).toBeVisible();

  await page.context().setOffline(true);
  await expect(door.network()).toHaveText(/Нет сети/);
  // Typed as a person would: lower case, a dash, O for 0 and L for 1.
  const sloppy = `${gosha.reference.slice(0, 4)}-${gosha.reference.slice(4)}`.toLowerCase().replaceAll('0', 'o').replaceAll('1', 'l');
  await door.check(sloppy);
  await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
  await expect(door.resultName()).toHaveText('Гоша Номер');
  // The same reference again at once (within the camera's same-code window): answered, from what the device knows.
  await door.check(gosha.reference);
  await expect(door.result()).toHaveAttribute('data-verdict', 'already_admitted');
  await expect(door.resultName()).toHaveText('Гоша Номер');
  await door.check(vera.reference);
  await expect(door.result()).toHaveAttribute('data-verdict', 'admitted');
  await expect(door.scanner()).toHaveAttribute('data-queued', '3');
  expect(await door.historyVerdicts()).toEqual(['admitted', 'already_admitted', 'admitted']);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(os.tmpdir(), 'door-scanner-reference-ru-390.png'), fullPage: true });

  await page.context().setOffline(false);
  await expect(door.scanner()).toHaveAttribute('data-queued', '0', { timeout: 30_000 });
  const admissions = await admissionsOf(api, id);
  expect([...admissions.keys()].sort()).toEqual([gosha.id, vera.id].sort());
});
