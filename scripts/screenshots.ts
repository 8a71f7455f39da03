// `npm run screenshots`: the organiser's and the guest's journey as PNGs, in
// English at 1280 px and in Russian at 390 px, so anyone can look at every
// page before and after a change. Not a test: it asserts nothing beyond each
// page opening. It starts the e2e server (scripts/e2e-server.ts: the shared
// production build, built when the app files changed, or APP_BUILD_DIR; a
// FRESH database, dropped afterwards) on E2E_PORT (default 3199 here), makes
// its data through the API, then walks STEPS and writes
// screenshots/<locale>-<width>/NN-name.png (git-ignored).
//
// A new page is one more entry in STEPS: a name, who looks (the organiser or
// the guest), where to go, and what to do before the picture (optional).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type APIRequestContext, type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { validEventBody } from '../tests/support/event-body';

process.env.E2E_PORT ??= '3199';
const PORT = Number(process.env.E2E_PORT);
const BASE = `http://localhost:${PORT}`;
const OUT = path.resolve('screenshots');

type Locale = 'en' | 'ru';
type Pass = { locale: Locale; width: number; height: number };
const PASSES: Pass[] = [
  { locale: 'en', width: 1280, height: 800 },
  { locale: 'ru', width: 390, height: 844 },
];

/** What the setup made, for the steps' paths. */
type Data = {
  eventId: string;
  slug: string;
  ticketedId: string;
  ticketedSlug: string;
  paidOrderPath: string;
};
type Actor = { page: Page; data: Data; locale: Locale; state: Record<string, string> };

type Step = {
  name: string;
  who: 'organiser' | 'guest';
  /** Where to go; omitted: stay on the page the previous step left. */
  path?: (data: Data, state: Record<string, string>) => string;
  /** What to do once there, before the picture (fill a form, open a dialog…). */
  act?: (actor: Actor) => Promise<void>;
};

const LABELS = {
  en: { name: 'Name', email: 'Email', password: 'Password' },
  ru: { name: 'Имя', email: 'Эл. почта', password: 'Пароль' },
} as const;

/** On a ticketed public page: the first type's quantity, and the buyer. */
async function chooseTickets(page: Page, locale: Locale, quantity: number): Promise<void> {
  await page.getByTestId('ticket-quantity').first().selectOption(String(quantity));
  await page.getByLabel(LABELS[locale].name).fill('Ada Guest');
  await page.getByLabel(LABELS[locale].email).fill(`ada-${randomUUID().slice(0, 6)}@example.com`);
}

export const STEPS: Step[] = [
  // The organiser's journey.
  // (In the guest's browser: the organiser's has its session already.)
  { name: 'sign-in', who: 'guest', path: () => '/sign-in' },
  { name: 'events', who: 'organiser', path: () => '/events' },
  { name: 'new-event', who: 'organiser', path: () => '/events/new' },
  { name: 'event', who: 'organiser', path: (d) => `/events/${d.eventId}` },
  { name: 'ticket-types', who: 'organiser', path: (d) => `/events/${d.ticketedId}` },
  { name: 'edit-event', who: 'organiser', path: (d) => `/events/${d.eventId}/edit` },
  { name: 'attendees', who: 'organiser', path: (d) => `/events/${d.eventId}/attendees` },
  { name: 'orders', who: 'organiser', path: (d) => `/events/${d.ticketedId}/orders` },
  { name: 'check-in', who: 'organiser', path: (d) => `/events/${d.eventId}/check-in` },
  { name: 'scanner', who: 'organiser', path: (d) => `/events/${d.eventId}/scan` },
  { name: 'billing', who: 'organiser', path: () => '/billing' },
  { name: 'integrations', who: 'organiser', path: () => '/settings/integrations' },
  // The guest's journey.
  { name: 'public-page', who: 'guest', path: (d) => `/e/${d.slug}` },
  {
    name: 'registered',
    who: 'guest',
    path: (d) => `/e/${d.slug}`,
    act: async ({ page, locale, state }) => {
      await page.getByLabel(LABELS[locale].name).fill('Ada Guest');
      await page.getByLabel(LABELS[locale].email).fill(`ada-${randomUUID().slice(0, 6)}@example.com`);
      await page.getByTestId('register-submit').click();
      const link = page.getByTestId('manage-link');
      await link.waitFor();
      state.registrationPath = (await link.getAttribute('href')) ?? '';
    },
  },
  { name: 'registration', who: 'guest', path: (_d, s) => s.registrationPath ?? '/' },
  {
    name: 'registration-cancel-dialog',
    who: 'guest',
    act: async ({ page }) => {
      await page.getByTestId('cancel-registration').click();
      await page.getByTestId('manage-cancel-dialog').waitFor();
    },
  },
  {
    name: 'registration-cancelled',
    who: 'guest',
    act: async ({ page }) => {
      await page.getByTestId('manage-cancel-confirm').click();
      await page.getByTestId('cancel-registration').waitFor({ state: 'detached' });
    },
  },
  {
    name: 'tickets',
    who: 'guest',
    path: (d) => `/e/${d.ticketedSlug}`,
    act: ({ page, locale }) => chooseTickets(page, locale, 2),
  },
  {
    name: 'test-payment',
    who: 'guest',
    act: async ({ page }) => {
      await page.getByTestId('order-submit').click();
      await page.waitForURL(/\/pay$/);
      await page.getByTestId('test-pay-pay').waitFor();
    },
  },
  {
    name: 'order-paid',
    who: 'guest',
    act: async ({ page }) => {
      await page.getByTestId('test-pay-pay').click();
      await page.waitForURL(/state=success$/);
      await page.locator('[data-testid="order-page"][data-order-status="confirmed"]').waitFor();
    },
  },
  {
    name: 'order-cancelled-by-guest',
    who: 'guest',
    path: (d) => `/e/${d.ticketedSlug}`,
    act: async ({ page, locale }) => {
      await chooseTickets(page, locale, 1);
      await page.getByTestId('order-submit').click();
      await page.waitForURL(/\/pay$/);
      await page.getByTestId('test-pay-cancel').click();
      await page.waitForURL(/state=cancelled$/);
      await page.getByTestId('order-cancelled').waitFor();
    },
  },
  { name: 'order-page', who: 'guest', path: (d) => d.paidOrderPath },
];

// ---- the e2e server ----------------------------------------------------------------

function startServer(): ChildProcess {
  return spawn(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/e2e-server.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, E2E_PORT: String(PORT) },
  });
}

async function waitForServer(server: ChildProcess, timeoutMs = 15 * 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the e2e server exited with code ${server.exitCode}`);
    try {
      await (await fetch(`${BASE}/api/me`)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error(`the app did not answer on ${BASE}`);
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const done = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await done;
}

// ---- data through the API ------------------------------------------------------------

async function post(api: APIRequestContext, url: string, data: unknown): Promise<Record<string, unknown>> {
  const response = await api.post(url, { headers: { 'Idempotency-Key': randomUUID(), 'x-forwarded-for': `10.9.${PORT % 250}.${Math.floor(Math.random() * 250)}` }, data });
  if (!response.ok()) throw new Error(`POST ${url}: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

async function eventVia(api: APIRequestContext, title: string, daysAhead: number): Promise<{ id: string; slug: string }> {
  const startsAt = new Date(Date.now() + daysAhead * 86_400_000);
  startsAt.setUTCHours(16, 0, 0, 0);
  const body = validEventBody({
    title,
    description: 'Talks, demos and tea. Bring a friend.',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
    timezone: 'Europe/Berlin',
    location: { type: 'in_person', address: 'Alexanderplatz 1, Berlin' },
  });
  return (await post(api, '/api/events', body)).event as { id: string; slug: string };
}

/** An organiser (signed in to `context`) with a free event and a ticketed one, a few guests, a paid order. */
async function setUp(context: BrowserContext, locale: Locale): Promise<Data> {
  const api = context.request;
  const email = `screens-${locale}-${randomUUID().slice(0, 6)}@example.com`;
  await post(api, '/api/auth/sign-up', { email, password: 'screens-password-1', name: locale === 'ru' ? 'Мария Организатор' : 'Mia Organiser' });
  const event = await eventVia(api, locale === 'ru' ? 'Вечер встреч' : 'Community evening', 14);
  const ticketed = await eventVia(api, locale === 'ru' ? 'Концерт' : 'Concert night', 21);
  const type = (await post(api, `/api/events/${ticketed.id}/ticket-types`, { name: 'Standard', price: { amount: 1500, currency: 'EUR' }, quantity: 30 }))
    .ticketType as { id: string };
  await post(api, `/api/events/${ticketed.id}/ticket-types`, { name: 'VIP', price: { amount: 4500, currency: 'EUR' }, quantity: 5 });
  // Guests with a request context of their own (no organiser cookie).
  const guest = await chromiumRequest();
  try {
    for (const [name, mail] of [
      ['Anna Guest', 'anna'],
      ['Boris Long-Name-For-Phones', 'boris.with.a.very.long.address'],
      ['Chen Wu', 'chen'],
    ] as const) {
      await post(guest, `/api/public/events/${event.slug}/registrations`, { name, email: `${mail}-${randomUUID().slice(0, 4)}@example.com` });
    }
    const placed = await post(guest, `/api/public/events/${ticketed.slug}/orders`, {
      name: 'Dana Buyer',
      email: `dana-${randomUUID().slice(0, 4)}@example.com`,
      items: [{ ticketTypeId: type.id, quantity: 2 }],
    });
    const manageUrl = placed.manageUrl as string;
    await guest.get(`${manageUrl}/pay`);
    await post(guest, `/api/public/orders/${manageUrl.slice(3)}/test-pay`, { outcome: 'paid' });
    return { eventId: event.id, slug: event.slug, ticketedId: ticketed.id, ticketedSlug: ticketed.slug, paidOrderPath: manageUrl };
  } finally {
    await guest.dispose();
  }
}

async function chromiumRequest(): Promise<APIRequestContext> {
  const { request } = await import('@playwright/test');
  return request.newContext({ baseURL: BASE });
}

// ---- the walk ------------------------------------------------------------------------------

function browserPath(): string | undefined {
  return process.env.CHROMIUM_PATH || ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((file) => existsSync(file));
}

async function newContext(browser: Browser, pass: Pass): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: BASE,
    locale: pass.locale === 'ru' ? 'ru-RU' : 'en-US',
    viewport: { width: pass.width, height: pass.height },
    timezoneId: 'Europe/Berlin',
  });
  await context.addCookies([{ name: 'NEXT_LOCALE', value: pass.locale, url: BASE }]);
  return context;
}

async function walk(browser: Browser, pass: Pass): Promise<string[]> {
  const dir = path.join(OUT, `${pass.locale}-${pass.width}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const organiserContext = await newContext(browser, pass);
  const guestContext = await newContext(browser, pass);
  const written: string[] = [];
  try {
    const data = await setUp(organiserContext, pass.locale);
    const pages = { organiser: await organiserContext.newPage(), guest: await guestContext.newPage() };
    const state: Record<string, string> = {};
    for (const [index, step] of STEPS.entries()) {
      const page = pages[step.who];
      const actor: Actor = { page, data, locale: pass.locale, state };
      if (step.path) await page.goto(step.path(data, state));
      await page.waitForLoadState('networkidle');
      if (step.act) await step.act(actor);
      await page.waitForLoadState('networkidle');
      const file = path.join(dir, `${String(index + 1).padStart(2, '0')}-${step.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      written.push(file);
    }
  } finally {
    await organiserContext.close();
    await guestContext.close();
  }
  return written;
}

async function main(): Promise<void> {
  const server = startServer();
  let code = 0;
  try {
    await waitForServer(server);
    const browser = await chromium.launch({
      executablePath: browserPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (const pass of PASSES) {
        const files = await walk(browser, pass);
        console.log(`screenshots: ${files.length} pages in ${path.relative(process.cwd(), path.dirname(files[0] ?? OUT))}/`);
      }
    } finally {
      await browser.close();
    }
    console.log(`screenshots: done, open ${path.relative(process.cwd(), OUT)}/ (en-1280 and ru-390)`);
  } catch (error) {
    console.error('screenshots:', error instanceof Error ? error.message : error);
    code = 1;
  } finally {
    await stopServer(server);
  }
  process.exit(code);
}

await main();
