// The public page that sells (issue 34): the organiser uploads a cover on the
// event page, a guest sees it with the page's og/twitter meta and the
// organiser's name; sharing copies the link; a guest who loses a sold-out race
// sees what is left instead of a stale count. In English at 1280 px and in
// Russian at 390 px.
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test } from '../support/fixtures';
import { createEventViaApi, overflowing } from './helpers';

/** A landscape JPEG as a camera writes it: 2400 × 1200, with EXIF. */
async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 2400, height: 1200, channels: 3, background: '#4338ca' } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'Camera owner' } })
    .toBuffer();
}

const meta = (page: Page, attribute: 'property' | 'name', key: string) => page.locator(`meta[${attribute}="${key}"]`).getAttribute('content');

test('the organiser uploads a cover; a guest sees it, the organiser and the og/twitter meta', async ({ page, organiser, api, browser, baseURL }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const event = await createEventViaApi(api, { title: 'Cover night', description: 'Talks and **tea**.\n\n<script>window.hacked = 1</script>' });
  await page.goto(`/events/${event.id}`);
  const card = page.getByTestId('event-cover-card');
  await expect(card.getByTestId('cover-empty')).toBeVisible();
  await expect(card.getByTestId('cover-choose')).toBeEnabled();

  // A file that is not an image is refused in the browser, before anything is sent.
  await card.getByTestId('cover-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(card.getByTestId('cover-error')).toHaveText('This file is not a JPEG, PNG or WebP image.');

  await card.getByTestId('cover-file').setInputFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: await cameraJpeg() });
  await expect(card.getByTestId('event-cover-preview')).toHaveAttribute('src', /^blob:/);
  await expect(card.getByTestId('cover-error')).toHaveCount(0);
  await card.getByTestId('cover-save').click();
  await expect(card.getByTestId('cover-notice')).toHaveText('Cover saved.');
  await expect(card.getByTestId('event-cover-preview')).toHaveAttribute('src', new RegExp(`^/media/covers/${event.id}/[0-9a-f]{32}\\.webp$`));
  await expect(card.getByTestId('cover-remove')).toBeEnabled();
  const saved = (await (await api.get(`/api/events/${event.id}`)).json()) as { data: { event: { coverUrl: string; version: number } } };
  expect(saved.data.event.version).toBe(2);
  await page.screenshot({ path: '/tmp/public-shots/organiser-cover-en-1280.png', fullPage: true });

  const guest = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const guestPage = await guest.newPage();
  const response = await guestPage.goto(`/e/${event.slug}`);
  const cover = guestPage.getByTestId('event-cover');
  await expect(cover).toHaveAttribute('src', saved.data.event.coverUrl);
  await expect(cover).toHaveAttribute('alt', 'Cover image of Cover night');
  await expect(cover).toHaveAttribute('width', '1600');
  await expect(cover).toHaveAttribute('height', '800');
  expect(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1600);
  await expect(guestPage.getByTestId('event-organiser')).toHaveText(`Hosted by ${organiser.name}`);
  // A desktop browser gets "Copy link" only (the share sheet is a phone's).
  await expect(guestPage.getByTestId('share-copy')).toBeEnabled();
  await expect(guestPage.getByTestId('share-native')).toHaveCount(0);
  // The description is Markdown, and its raw HTML is dropped.
  await expect(guestPage.getByTestId('event-description').locator('strong')).toHaveText('tea');
  expect(await guestPage.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  await expect(guestPage.getByTestId('event-description')).not.toContainText('script');

  const origin = new URL(response?.url() ?? '').origin;
  expect(await meta(guestPage, 'property', 'og:title')).toBe('Cover night');
  expect(await meta(guestPage, 'property', 'og:description')).toBe('Talks and tea.');
  expect(await meta(guestPage, 'property', 'og:url')).toBe(`${origin}/e/${event.slug}`);
  expect(await meta(guestPage, 'property', 'og:image')).toBe(`${origin}${saved.data.event.coverUrl}`);
  expect(await meta(guestPage, 'name', 'twitter:card')).toBe('summary_large_image');
  expect(await meta(guestPage, 'name', 'twitter:image')).toBe(`${origin}${saved.data.event.coverUrl}`);
  // The file itself: WebP, cached for a year.
  const file = await guestPage.request.get(saved.data.event.coverUrl);
  expect(file.headers()['content-type']).toBe('image/webp');
  expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  await guestPage.screenshot({ path: '/tmp/public-shots/public-cover-en-1280.png', fullPage: true });
  await guest.close();

  // Removed: the page has no cover, and its card says so.
  await card.getByTestId('cover-remove').click();
  await expect(card.getByTestId('cover-notice')).toHaveText('Cover removed.');
  await expect(card.getByTestId('cover-empty')).toBeVisible();
});

test('a guest in Russian at 390 px sees the cover, shares the page by copying its link', async ({ page, organiser: _organiser, api, browser, baseURL }) => {
  const event = await createEventViaApi(api, { title: 'Встреча в Москве', maxParticipants: 8 });
  expect(event.slug).toMatch(/^vstrecha-v-moskve-[0-9a-f]{12}$/);
  const upload = await api.put(`/api/events/${event.id}/cover`, {
    headers: { 'Idempotency-Key': randomUUID(), 'Content-Type': 'image/jpeg' },
    data: await cameraJpeg(),
  });
  expect(upload.status()).toBe(200);
  const guest = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  await guest.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await guest.grantPermissions(['clipboard-read', 'clipboard-write']);
  const guestPage = await guest.newPage();
  await guestPage.goto(`/e/${event.slug}`);
  await expect(guestPage.getByTestId('event-cover')).toHaveAttribute('alt', 'Обложка события «Встреча в Москве»');
  // Eight seats, none taken: "only 8 left", never "0 of 8 taken".
  await expect(guestPage.getByTestId('event-availability')).toHaveText('Осталось всего 8 мест');
  await guestPage.getByTestId('share-copy').click();
  await expect(guestPage.getByTestId('share-copy-status')).toHaveText('Ссылка скопирована');
  expect(await guestPage.evaluate(() => navigator.clipboard.readText())).toBe(guestPage.url());
  expect(await overflowing(guestPage)).toEqual([]);
  await guestPage.screenshot({ path: '/tmp/public-shots/public-cover-ru-390.png', fullPage: true });
  await guest.close();

  // The organiser's card in Russian at 390 px.
  await page.context().addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/events/${event.id}`);
  await expect(page.getByTestId('cover-remove')).toHaveText('Убрать обложку');
  expect(await overflowing(page)).toEqual([]);
  await page.screenshot({ path: '/tmp/public-shots/organiser-cover-ru-390.png', fullPage: true });
});

test("on a phone with the Web Share API, Share opens the system's sheet with the page's title and link", async ({ organiser: _organiser, api, browser, baseURL }) => {
  const event = await createEventViaApi(api, { title: 'Shared night' });
  const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  // The sheet itself is the system's: a stand-in records what the page hands it.
  await phone.addInitScript(() => {
    const shared: ShareData[] = [];
    Object.assign(window, { shared });
    Object.defineProperty(navigator, 'share', { value: async (data: ShareData) => void shared.push(data), configurable: true });
  });
  const page = await phone.newPage();
  await page.goto(`/e/${event.slug}`);
  await page.getByTestId('share-native').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { shared: ShareData[] }).shared)).toEqual([{ title: 'Shared night', url: page.url() }]);
  await phone.close();
});

async function ticketType(api: APIRequestContext, eventId: string, quantity: number): Promise<string> {
  const res = await api.post(`/api/events/${eventId}/ticket-types`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Standard', price: { amount: 1500, currency: 'EUR' }, quantity },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
}

test('a guest who loses a sold-out race sees what is left, in Russian at 390 px', async ({ organiser: _organiser, api, browser, baseURL }) => {
  const event = await createEventViaApi(api, { title: 'Последние билеты', maxParticipants: 25 });
  const typeId = await ticketType(api, event.id, 3);
  const guest = await browser.newContext({ baseURL, locale: 'ru-RU', viewport: { width: 390, height: 844 } });
  await guest.addCookies([{ name: 'NEXT_LOCALE', value: 'ru', url: baseURL ?? '' }]);
  const page = await guest.newPage();
  await page.goto(`/e/${event.slug}`);
  // Three of 25: the type and the page agree, "only 3 left".
  await expect(page.getByTestId('event-availability')).toHaveText('Осталось всего 3 места');
  await expect(page.getByTestId('ticket-type-state')).toHaveText(/^15,00\s€ · осталось всего 3$/);
  const quantity = page.getByTestId('ticket-quantity');
  // The select keeps its own width (w-24), not the row's.
  expect(await quantity.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThan(120);
  await quantity.selectOption('3');
  await page.getByLabel('Имя').fill('Опоздавший Гость');
  await page.getByLabel('Эл. почта').fill('late@example.com');

  // Someone else holds two of the three meanwhile.
  const other = await browser.newContext({ baseURL });
  const order = await other.request.post(`/api/public/events/${event.slug}/orders`, {
    headers: { 'Idempotency-Key': randomUUID() },
    data: { name: 'Quick Guest', email: 'quick@example.com', items: [{ ticketTypeId: typeId, quantity: 2 }] },
  });
  expect(order.status()).toBe(201);
  await other.close();

  await page.getByTestId('order-submit').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  // What is left is read again: one, live holds counted, and the choice comes down to it.
  await expect(page.getByTestId('ticket-type-state')).toHaveText(/^15,00\s€ · осталось всего 1$/);
  await expect(page.getByTestId('event-availability')).toHaveText('Осталось всего 1 место');
  await expect(quantity.locator('option')).toHaveText(['0', '1']);
  await expect(quantity).toHaveValue('1');
  await page.screenshot({ path: '/tmp/public-shots/sold-out-race-ru-390.png', fullPage: true });
  await guest.close();
});
