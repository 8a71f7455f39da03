// The chaos matrix (e2e/README.md, "The chaos kit"): every mutating flow the UI
// has × every fault that applies, each cell ending in expectInvariants(). A
// flow is one declarative entry in FLOWS; a fault one entry in FAULTS.
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { expect, test, type Organiser } from '../support/fixtures';
import {
  backForwardResubmit,
  burstClicks,
  dropAnswerAfterCommit,
  duplicateTab,
  expectInvariants,
  holdAnswerAfterCommit,
  offlineAfterSend,
  reloadMidRequest,
  replayAsOtherUser,
  replayWithChangedBody,
  slowServer,
  withReadOnlyDb,
  type Matcher,
} from '../support/chaos';
import { recordMutations } from '../support/replay';
import { AttendeesPage } from '../pages/attendees.po';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { createEventViaApi, creditBalance, eventsTitled, uniqueTitle } from './helpers';

/** What a flow's setup made (ids, slugs, titles…), handed to its other steps. */
type Data = Record<string, string>;
/** One of the setup's values (a flow that asks for one its setup did not make is a bug in the spec). */
function the(data: Data, key: string): string {
  const value = data[key];
  if (value === undefined) throw new Error(`the setup made no ${key}`);
  return value;
}
type Ctx = { api: APIRequestContext; organiser: Organiser; browser: Browser; baseURL: string };
/** Who acts: the signed-in organiser's page, or a guest's (a context of its own, its own guest cookie). */
type Actor = { page: Page; request: APIRequestContext };

type Flow = {
  name: string;
  actor: 'organiser' | 'guest';
  /** Data the cell needs, made through the API where the cell is not about it. */
  setup(ctx: Ctx, actor: Actor): Promise<Data>;
  /** Opens the page; resolves once it is live (hydrated). */
  open(page: Page, data: Data): Promise<void>;
  /** Types the values, up to the click under test (again after a reload, as a person would). */
  fill(page: Page, data: Data): Promise<void>;
  /** The click that sends the mutation under test. */
  submit(page: Page): Locator;
  /** The mutation under test. */
  request(data: Data): Matcher;
  /** Resolves once this page shows the flow's result. */
  done(page: Page, data: Data): Promise<void>;
  /** Exactly one effect happened, checked through the API (or SQL, read-only). */
  effect(ctx: Ctx, data: Data): Promise<void>;
  /** For `replayWithChangedBody`: the body with one field changed (none: the route takes no body). */
  changeBody?: (body: unknown) => unknown;
  /** Who replays the request in `replayAsOtherUser`. */
  other: 'organiser' | 'guest';
  /**
   * false: after a reload the page shows the server's state, not a kept attempt (check-in keeps
   * none, as a repeat changes nothing; a deleted draft's page is a 404), so a duplicated tab
   * shows the result on its own URL, not the first tab's.
   */
  keepsAttempt?: false;
};

const withTitle = (body: unknown) => ({ ...(body as object), title: 'Changed by a replay' });

async function countCheckouts(userId: string): Promise<number> {
  return withReadOnlyDb(async (client) => {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from checkouts where team_id = $1', [userId]);
    return rows[0]?.n ?? 0;
  });
}

async function seatsOf(api: APIRequestContext, eventId: string): Promise<{ confirmed: number }> {
  const body = (await (await api.get(`/api/events/${eventId}`)).json()) as { data: { event: { seats: { confirmed: number } } } };
  return body.data.event.seats;
}

const createForm = (page: Page) => new EventFormPage(page);

async function eventOf(api: APIRequestContext, id: string): Promise<{ status: string; version: number }> {
  const body = (await (await api.get(`/api/events/${id}`)).json()) as { data: { event: { status: string; version: number } } };
  return body.data.event;
}

/** The organiser's event page, live once the lifecycle button `testId` is enabled. */
async function openEventPage(page: Page, id: string, testId: string): Promise<void> {
  await page.goto(`/events/${id}`);
  await expect(page.getByTestId(testId)).toBeEnabled();
}

async function checkedInAt(registrationId: string): Promise<Date | null> {
  return withReadOnlyDb(async (client) => {
    const { rows } = await client.query<{ checked_in_at: Date | null }>('select checked_in_at from registrations where id = $1', [registrationId]);
    return rows[0]?.checked_in_at ?? null;
  });
}

/** The cover every 'upload a cover' cell sends: a small JPEG, made once. */
const coverJpeg = sharp({ create: { width: 800, height: 400, channels: 3, background: '#0f766e' } }).jpeg().toBuffer();

async function coverOf(api: APIRequestContext, id: string): Promise<{ coverUrl: string | null; version: number }> {
  const body = (await (await api.get(`/api/events/${id}`)).json()) as { data: { event: { coverUrl: string | null; version: number } } };
  return body.data.event;
}

const FLOWS: Flow[] = [
  {
    name: 'create event',
    actor: 'organiser',
    setup: async () => ({ title: uniqueTitle('Chaos create') }),
    open: (page) => createForm(page).gotoNew(),
    fill: (page, data) => createForm(page).fill({ title: the(data, 'title'), startsAt: futureWallTime(9), endsAt: futureWallTime(9, '20:00'), maxParticipants: 12 }),
    submit: (page) => createForm(page).submitButton(),
    request: () => (url) => url.pathname === '/api/events',
    done: async (page) => void (await createForm(page).expectLandedOnEvent()),
    effect: async ({ api }, data) => expect(await eventsTitled(api, the(data, 'title'))).toHaveLength(1),
    changeBody: withTitle,
    other: 'organiser',
  },
  {
    name: 'create with credit confirmation',
    actor: 'organiser',
    setup: async ({ organiser }) => {
      await organiser.grantCredits(2);
      return { title: uniqueTitle('Chaos credit') };
    },
    open: (page) => createForm(page).gotoNew(),
    fill: async (page, data) => {
      const form = createForm(page);
      await form.fill({ title: the(data, 'title'), startsAt: futureWallTime(9), endsAt: futureWallTime(9, '20:00'), maxParticipants: 60 });
      await form.submitButton().click();
      await expect(form.confirmButton()).toBeEnabled();
    },
    submit: (page) => createForm(page).confirmButton(),
    request: () => (url) => url.pathname === '/api/events' && url.searchParams.get('confirm_credit') === '1',
    done: async (page) => void (await createForm(page).expectLandedOnEvent()),
    effect: async ({ api }, data) => {
      expect(await eventsTitled(api, the(data, 'title'))).toHaveLength(1);
      expect(await creditBalance(api), 'one credit spent').toBe(1);
    },
    changeBody: withTitle,
    other: 'organiser',
  },
  {
    name: 'edit event',
    actor: 'organiser',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api);
      return { id: event.id, title: uniqueTitle('Chaos edited') };
    },
    open: (page, data) => createForm(page).gotoEdit(the(data, 'id')),
    fill: (page, data) => createForm(page).field('title').fill(the(data, 'title')),
    submit: (page) => createForm(page).submitButton('edit'),
    request: ({ id }) => (url) => url.pathname === `/api/events/${id}`,
    done: (page, { id }) => page.waitForURL(new RegExp(`/events/${id}\\?saved=1$`)),
    effect: async ({ api }, data) => {
      const body = (await (await api.get(`/api/events/${the(data, 'id')}`)).json()) as { data: { event: { title: string; version: number } } };
      expect(body.data.event, 'saved once: one version step').toMatchObject({ title: the(data, 'title'), version: 2 });
    },
    changeBody: withTitle,
    other: 'organiser',
  },
  {
    name: 'register as a guest',
    actor: 'guest',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 3 });
      // A required question: the answer travels with the registration, through every fault (expectInvariants checks it).
      const question = await api.post(`/api/events/${event.id}/questions`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { label: 'Company', kind: 'text', required: true },
      });
      expect(question.status()).toBe(201);
      const { id: questionId } = ((await question.json()) as { data: { question: { id: string } } }).data.question;
      return { id: event.id, slug: event.slug, email: `guest-${event.id.slice(0, 8)}@example.com`, questionId };
    },
    open: async (page, { slug }) => {
      await page.goto(`/e/${slug}`);
      await expect(page.getByTestId('register-submit')).toBeEnabled();
    },
    fill: async (page, data) => {
      const email = the(data, 'email');
      await page.getByLabel('Name').fill('Chaos Guest');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel(/Company/).fill('Chaos Inc');
    },
    submit: (page) => page.getByTestId('register-submit'),
    request: ({ slug }) => (url) => url.pathname === `/api/public/events/${slug}/registrations`,
    done: (page) => expect(page.getByTestId('registration-result')).toContainText("You're registered.", { timeout: 20_000 }),
    effect: async ({ api }, data) => {
      expect((await seatsOf(api, the(data, 'id'))).confirmed).toBe(1);
      const answers = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ n: number }>("select count(*)::int as n from answers where question_id = $1 and text = 'Chaos Inc'", [the(data, 'questionId')]);
        return rows[0]?.n ?? 0;
      });
      expect(answers, 'the answer saved once, with the registration').toBe(1);
    },
    changeBody: (body) => ({ ...(body as object), name: 'Someone else' }),
    other: 'guest',
  },
  {
    name: 'cancel a registration (guest)',
    actor: 'guest',
    setup: async ({ api }, guest) => {
      const event = await createEventViaApi(api, { maxParticipants: 3 });
      const response = await guest.request.post(`/api/public/events/${event.slug}/registrations`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Leaving Guest', email: `leaving-${event.id.slice(0, 8)}@example.com` },
      });
      expect(response.status()).toBe(201);
      const { data } = (await response.json()) as { data: { manageUrl: string } };
      return { id: event.id, manageUrl: data.manageUrl };
    },
    open: async (page, data) => {
      const manageUrl = the(data, 'manageUrl');
      await page.goto(manageUrl);
      await expect(page.getByTestId('cancel-registration')).toBeEnabled();
    },
    fill: async (page) => {
      if (await page.getByTestId('manage-cancel-dialog').isVisible()) return;
      await page.getByTestId('cancel-registration').click();
      await expect(page.getByTestId('manage-cancel-confirm')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('manage-cancel-confirm'),
    request: (data) => (url) => url.pathname === `/api/public/registrations/${the(data, 'manageUrl').slice(3)}/cancel`,
    done: (page) => expect(page.getByTestId('registration-status')).toHaveText('This registration is cancelled.', { timeout: 20_000 }),
    effect: async ({ api }, data) => expect((await seatsOf(api, the(data, 'id'))).confirmed).toBe(0),
    other: 'guest',
  },
  {
    name: 'cancel an unpaid order (guest)',
    actor: 'guest',
    setup: async ({ api }, guest) => {
      const event = await createEventViaApi(api, { maxParticipants: 5 });
      const type = await api.post(`/api/events/${event.id}/ticket-types`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos ticket', price: { amount: 1000, currency: 'EUR' } },
      });
      const typeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
      const placed = await guest.request.post(`/api/public/events/${event.slug}/orders`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Changed Mind', email: `changed-${event.id.slice(0, 8)}@example.com`, items: [{ ticketTypeId: typeId, quantity: 2 }] },
      });
      expect(placed.status()).toBe(201);
      const { manageUrl, order } = ((await placed.json()) as { data: { manageUrl: string; order: { id: string } } }).data;
      return { id: event.id, oid: order.id, manageUrl };
    },
    open: async (page, data) => {
      await page.goto(the(data, 'manageUrl'));
      await expect(page.getByTestId('order-cancel')).toBeEnabled();
    },
    fill: async (page) => {
      if (await page.getByTestId('order-cancel-dialog').isVisible()) return;
      await page.getByTestId('order-cancel').click();
      await expect(page.getByTestId('order-cancel-confirm')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('order-cancel-confirm'),
    request: (data) => (url) => url.pathname === `/api/public/orders/${the(data, 'manageUrl').slice(3)}/cancel`,
    done: (page) => expect(page.getByTestId('order-cancelled')).toContainText('You cancelled this order.', { timeout: 20_000 }),
    // Cancelled once, by the guest, and nobody mailed "your order expired".
    effect: async (_ctx, data) => {
      const row = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ status: string; cancel_reason: string | null; mails: number }>(
          `select status, cancel_reason, (select count(*)::int from outbox_messages m where m.event_id = o.event_id) as mails from orders o where o.id = $1`,
          [the(data, 'oid')],
        );
        return rows[0];
      });
      expect(row).toEqual({ status: 'cancelled', cancel_reason: 'guest', mails: 0 });
    },
    other: 'guest',
  },
  {
    name: 'publish a draft',
    actor: 'organiser',
    setup: async ({ api }) => ({ id: (await createEventViaApi(api, { status: 'draft' })).id }),
    open: (page, data) => openEventPage(page, the(data, 'id'), 'event-publish'),
    fill: async () => {},
    submit: (page) => page.getByTestId('event-publish'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}`,
    done: (page) => expect(page.getByTestId('event-status')).toHaveText('Published', { timeout: 20_000 }),
    effect: async ({ api }, data) => expect(await eventOf(api, the(data, 'id'))).toMatchObject({ status: 'published', version: 2 }),
    changeBody: () => ({ status: 'cancelled' }),
    other: 'organiser',
  },
  {
    name: 'cancel an event',
    actor: 'organiser',
    setup: async ({ api }) => ({ id: (await createEventViaApi(api)).id }),
    open: (page, data) => openEventPage(page, the(data, 'id'), 'event-more'),
    fill: async (page) => {
      await page.getByTestId('event-more').click();
      await page.getByTestId('event-cancel').click();
      await expect(page.getByTestId('cancel-event-confirm')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('cancel-event-confirm'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}`,
    done: (page) => expect(page.getByTestId('event-status')).toHaveText('Cancelled', { timeout: 20_000 }),
    effect: async ({ api }, data) => expect(await eventOf(api, the(data, 'id'))).toMatchObject({ status: 'cancelled', version: 2 }),
    changeBody: () => ({ status: 'published' }),
    other: 'organiser',
  },
  {
    name: 'upload a cover',
    actor: 'organiser',
    setup: async ({ api }) => ({ id: (await createEventViaApi(api)).id }),
    open: (page, data) => openEventPage(page, the(data, 'id'), 'cover-choose'),
    fill: async (page) => {
      await page.getByTestId('cover-file').setInputFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: await coverJpeg });
      await expect(page.getByTestId('cover-save')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('cover-save'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}/cover`,
    // The server's file shown (not the browser's preview), after the answer or after a reload.
    done: (page, data) => expect(page.getByTestId('event-cover-preview')).toHaveAttribute('src', new RegExp(`^/media/covers/${the(data, 'id')}/`), { timeout: 20_000 }),
    // One upload: one version bump, whatever was retried or replayed.
    effect: async ({ api }, data) => expect(await coverOf(api, the(data, 'id'))).toMatchObject({ coverUrl: expect.stringMatching(/^\/media\/covers\//), version: 2 }),
    other: 'organiser',
    // A file cannot be kept in the tab: after a reload the page shows the server's cover.
    keepsAttempt: false,
  },
  {
    name: 'delete a draft',
    actor: 'organiser',
    setup: async ({ api }) => ({ id: (await createEventViaApi(api, { status: 'draft' })).id }),
    open: (page, data) => openEventPage(page, the(data, 'id'), 'event-more'),
    fill: async (page) => {
      await page.getByTestId('event-more').click();
      await page.getByTestId('event-delete').click();
      await expect(page.getByTestId('delete-event-confirm')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('delete-event-confirm'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}`,
    // The list after the delete, or the event page's 404 when a reload got there first.
    done: (page) =>
      expect(page.getByTestId('event-deleted-notice').or(page.getByText('This event does not exist or is not yours.'))).toBeVisible({ timeout: 20_000 }),
    effect: async ({ api }, data) => expect((await api.get(`/api/events/${the(data, 'id')}`)).status()).toBe(404),
    other: 'organiser',
    // A duplicated tab reloads a page whose event is gone: it shows the 404, not the first tab's list.
    keepsAttempt: false,
  },
  {
    name: 'check in',
    actor: 'organiser',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 3 });
      const response = await api.post(`/api/public/events/${event.slug}/registrations`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos Attendee', email: `attendee-${event.id.slice(0, 8)}@example.com` },
      });
      expect(response.status()).toBe(201);
      const { data } = (await response.json()) as { data: { registration: { id: string } } };
      return { id: event.id, rid: data.registration.id };
    },
    open: (page, data) => new AttendeesPage(page).goto(the(data, 'id')),
    fill: async () => {},
    submit: (page) => new AttendeesPage(page).checkInButton('Chaos Attendee'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}/registrations/${the(data, 'rid')}/check-in`,
    done: (page) => expect(page.getByTestId('attendee-checked-in')).toBeVisible({ timeout: 20_000 }),
    effect: async (_ctx, data) => expect(await checkedInAt(the(data, 'rid'))).not.toBeNull(),
    other: 'organiser',
    keepsAttempt: false,
  },
  {
    // The door scanner: a typed code, answered at once from the snapshot and sent to the server.
    name: 'scan at the door',
    actor: 'organiser',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 3 });
      const response = await api.post(`/api/public/events/${event.slug}/registrations`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos Guest', email: `door-${event.id.slice(0, 8)}@example.com` },
      });
      expect(response.status()).toBe(201);
      const { data } = (await response.json()) as { data: { manageUrl: string } };
      const token = data.manageUrl.replace(/^\/r\//, '');
      const read = (await (await api.get(`/api/public/registrations/${token}`)).json()) as { data: { registration: { id: string; code: string } } };
      return { id: event.id, rid: read.data.registration.id, code: read.data.registration.code };
    },
    open: async (page, data) => {
      await page.goto(`/events/${the(data, 'id')}/scan`);
      await expect(page.getByTestId('scanner')).toHaveAttribute('data-phase', 'ready');
    },
    fill: (page, data) => page.getByTestId('scanner-manual').fill(the(data, 'code')),
    submit: (page) => page.getByTestId('scanner-check'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}/check-in/scans`,
    // The server's answer reached the device (after a reload, from the queue kept in IndexedDB).
    done: (page) => expect(page.locator('[data-testid="scanner-history-item"][data-server-result="admitted"]')).toHaveCount(1, { timeout: 30_000 }),
    effect: async (_ctx, data) => {
      expect(await checkedInAt(the(data, 'rid'))).not.toBeNull();
      const admissions = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ n: number }>("select count(*)::int as n from checkin_scans where registration_id = $1 and result = 'admitted'", [the(data, 'rid')]);
        return rows[0]?.n ?? 0;
      });
      expect(admissions, 'one admission').toBe(1);
    },
    other: 'organiser',
    // The queue lives in IndexedDB, not in a kept attempt: a reload shows the device's scans.
    keepsAttempt: false,
  },
  {
    name: 'buy credits',
    actor: 'organiser',
    setup: async () => ({}),
    open: async (page) => {
      await page.goto('/billing');
      await expect(page.getByTestId('buy-credits-5')).toBeEnabled();
    },
    fill: async () => {},
    submit: (page) => page.getByTestId('buy-credits-5'),
    request: () => (url) => url.pathname === '/api/billing/checkout',
    done: (page) => page.waitForURL(/\/billing\/test-pay\/[0-9a-f-]{36}/, { timeout: 20_000 }),
    effect: async ({ organiser }) => expect(await countCheckouts(organiser.id), 'one checkout opened').toBe(1),
    changeBody: (body) => ({ ...(body as object), packId: 'credits-1' }),
    other: 'organiser',
  },
  // Paid tickets
  {
    name: 'buy tickets',
    actor: 'guest',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 5 });
      const type = await api.post(`/api/events/${event.id}/ticket-types`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos ticket', price: { amount: 1000, currency: 'EUR' } },
      });
      expect(type.status()).toBe(201);
      // A required question per ticket: each holder's answer travels with the order (expectInvariants checks the tickets have them).
      const question = await api.post(`/api/events/${event.id}/questions`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { label: 'Diet', kind: 'choice', required: true, per: 'ticket', options: [{ label: 'Vegetarian' }, { label: 'Anything' }] },
      });
      expect(question.status()).toBe(201);
      return { id: event.id, slug: event.slug, email: `buyer-${event.id.slice(0, 8)}@example.com` };
    },
    open: async (page, { slug }) => {
      await page.goto(`/e/${slug}`);
      await expect(page.getByTestId('ticket-quantity')).toBeEnabled();
    },
    fill: async (page, data) => {
      await page.getByTestId('ticket-quantity').selectOption('2');
      await page.getByLabel('Name', { exact: true }).fill('Chaos Buyer');
      await page.getByLabel('Email', { exact: true }).fill(the(data, 'email'));
      await page.getByTestId('ticket-holder').nth(0).getByLabel('Vegetarian').check();
      await page.getByTestId('ticket-holder').nth(1).getByLabel('Anything').check();
    },
    submit: (page) => page.getByTestId('order-submit'),
    request: ({ slug }) => (url) => url.pathname === `/api/public/events/${slug}/orders`,
    done: (page) => page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/, { timeout: 20_000 }),
    // One order per guest (a replay by another guest, with its own cookie, is that guest's own order).
    effect: async (_ctx, data) => {
      const { orders, guests, seats } = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ orders: number; guests: number; seats: number }>(
          `select count(distinct o.id)::int as orders, count(distinct k.principal)::int as guests,
                  (select coalesce(sum(i.quantity), 0)::int from order_items i join orders x on x.id = i.order_id where x.event_id = $1) as seats
             from orders o left join idempotency_keys k on k.resource_id = o.id where o.event_id = $1`,
          [the(data, 'id')],
        );
        return rows[0] ?? { orders: 0, guests: 0, seats: 0 };
      });
      expect(orders, 'one order per guest').toBe(guests);
      expect(orders).toBeGreaterThanOrEqual(1);
      expect(seats, 'two seats an order').toBe(2 * orders);
      const answers = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ n: number }>('select count(*)::int as n from answers where event_id = $1 and holder_index is not null', [the(data, 'id')]);
        return rows[0]?.n ?? 0;
      });
      expect(answers, "each holder's answer once an order").toBe(2 * orders);
    },
    changeBody: (body) => ({ ...(body as object), name: 'Someone else' }),
    other: 'guest',
  },
  // Discount codes (issue 35): the order under test names a code from the page's link (paying it is the TEST page's, as in 'buy tickets').
  {
    name: 'apply a code and order',
    actor: 'guest',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 30 });
      const type = await api.post(`/api/events/${event.id}/ticket-types`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos ticket', price: { amount: 1000, currency: 'EUR' } },
      });
      expect(type.status()).toBe(201);
      const code = await api.post(`/api/events/${event.id}/codes`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { code: 'CHAOS', discount: { percent: 50 }, maxUses: 10 },
      });
      expect(code.status()).toBe(201);
      return { id: event.id, slug: event.slug, email: `coded-${event.id.slice(0, 8)}@example.com` };
    },
    open: async (page, { slug }) => {
      await page.goto(`/e/${slug}?code=chaos`);
      await expect(page.getByTestId('code-applied')).toBeVisible();
      await expect(page.getByTestId('ticket-quantity')).toBeEnabled();
    },
    fill: async (page, data) => {
      await page.getByTestId('ticket-quantity').selectOption('2');
      await page.getByLabel('Name').fill('Chaos Coder');
      await page.getByLabel('Email').fill(the(data, 'email'));
    },
    submit: (page) => page.getByTestId('order-submit'),
    request: ({ slug }) => (url) => url.pathname === `/api/public/events/${slug}/orders`,
    done: (page) => page.waitForURL(/\/o\/[A-Za-z0-9_-]{43}\/pay$/, { timeout: 20_000 }),
    // One order per guest, each with the code at half price; the code's uses are exactly the tickets held.
    effect: async ({ api }, data) => {
      const orders = await withReadOnlyDb(async (client) => {
        const { rows } = await client.query<{ id: string; total: number; guests: number }>(
          `select o.id, o.total_amount as total, (select count(distinct k.principal)::int from idempotency_keys k join orders x on x.id = k.resource_id where x.event_id = $1) as guests
             from orders o where o.event_id = $1 and o.code_id is not null`,
          [the(data, 'id')],
        );
        return rows;
      });
      expect(orders.length, 'one order per guest').toBe(orders[0]?.guests ?? 0);
      expect(orders.length).toBeGreaterThanOrEqual(1);
      for (const order of orders) expect(order.total, 'two tickets at half price').toBe(1000);
      const codes = (await (await api.get(`/api/events/${the(data, 'id')}/codes`)).json()) as { data: { codes: { used: number; held: number }[] } };
      expect(codes.data.codes[0], 'the uses are the tickets held').toMatchObject({ used: 0, held: 2 * orders.length });
    },
    changeBody: (body) => ({ ...(body as object), name: 'Someone else' }),
    other: 'guest',
  },
  {
    name: 'refund an order',
    actor: 'organiser',
    setup: async ({ api }) => {
      const event = await createEventViaApi(api, { maxParticipants: 5 });
      const type = await api.post(`/api/events/${event.id}/ticket-types`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Chaos ticket', price: { amount: 1000, currency: 'EUR' } },
      });
      const typeId = ((await type.json()) as { data: { ticketType: { id: string } } }).data.ticketType.id;
      const placed = await api.post(`/api/public/events/${event.slug}/orders`, {
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        data: { name: 'Refunded Guest', email: `refunded-${event.id.slice(0, 8)}@example.com`, items: [{ ticketTypeId: typeId, quantity: 2 }] },
      });
      const { manageUrl, order } = ((await placed.json()) as { data: { manageUrl: string; order: { id: string } } }).data;
      await api.get(`${manageUrl}/pay`);
      const paid = await api.post(`/api/public/orders/${manageUrl.slice(3)}/test-pay`, { headers: { 'Idempotency-Key': crypto.randomUUID() }, data: { outcome: 'paid' } });
      expect(paid.status()).toBe(200);
      return { id: event.id, oid: order.id };
    },
    open: async (page, data) => {
      await page.goto(`/events/${the(data, 'id')}/orders`);
      await expect(page.getByTestId('order-refund')).toBeEnabled();
    },
    fill: async (page) => {
      if (await page.getByTestId('refund-dialog').isVisible()) return;
      await page.getByTestId('order-refund').click();
      await expect(page.getByTestId('refund-confirm')).toBeEnabled();
    },
    submit: (page) => page.getByTestId('refund-confirm'),
    request: (data) => (url) => url.pathname === `/api/events/${the(data, 'id')}/orders/${the(data, 'oid')}/refund`,
    // The dialog's answer, or (after a reload) the order shown refunded.
    done: (page) =>
      expect(page.getByTestId('refund-done').or(page.locator('[data-testid="order-row"][data-order-status="refunded"]')).first()).toBeVisible({ timeout: 20_000 }),
    effect: async (_ctx, data) =>
      expect(
        await withReadOnlyDb(async (client) => {
          const { rows } = await client.query<{ n: number }>('select count(*)::int as n from refunds where order_id = $1', [the(data, 'oid')]);
          return rows[0]?.n ?? 0;
        }),
        'one refund',
      ).toBe(1),
    changeBody: () => ({ amount: 1 }),
    other: 'organiser',
    keepsAttempt: false,
  },
];

type Cell = { flow: Flow; data: Data; page: Page; ctx: Ctx };

/**
 * After a reload, a new tab or back/forward: give the kept attempt its chance
 * (the result, or the "send again" notice); a form that came back idle is
 * filled and sent again, as an impatient person would.
 */
async function finish({ flow, data }: Cell, page: Page): Promise<void> {
  const outcome = await Promise.race([
    flow.done(page, data).then(
      () => 'done' as const,
      () => 'never' as const,
    ),
    page
      .getByTestId('attempt-interrupted')
      .waitFor()
      .then(
        () => 'interrupted' as const,
        () => 'never' as const,
      ),
    new Promise<'idle'>((resolve) => setTimeout(() => resolve('idle'), 10_000)),
  ]);
  if (outcome === 'interrupted') await page.getByTestId('attempt-resend').click();
  // Idle: the form is there and ready (a kept attempt would be running, its button busy).
  const submit = flow.submit(page);
  if (outcome === 'idle' && (await submit.count()) === 1 && (await submit.isEnabled({ timeout: 1_000 }).catch(() => false))) {
    await flow.fill(page, data);
    await submit.click();
  }
  await flow.done(page, data);
}

function disableSessionStorage(): void {
  Object.defineProperty(window, 'sessionStorage', {
    get() {
      throw new DOMException('sessionStorage is disabled', 'SecurityError');
    },
  });
}

type Fault = { name: string; applies?: (flow: Flow) => boolean; run(cell: Cell): Promise<void> };

const FAULTS: Fault[] = [
  {
    name: 'burst of 5 clicks',
    run: async ({ flow, data, page }) => {
      await burstClicks(flow.submit(page), 5);
      await flow.done(page, data);
    },
  },
  {
    name: 'answer dropped after commit',
    run: async ({ flow, data, page }) => {
      await dropAnswerAfterCommit(page, flow.request(data));
      await flow.submit(page).click();
      await flow.done(page, data);
    },
  },
  {
    // Every automatic retry loses its answer too: the controller asks the server what became of the attempt.
    name: 'retries run out (5 answers lost)',
    run: async (cell) => {
      await dropAnswerAfterCommit(cell.page, cell.flow.request(cell.data), { times: 5 });
      await cell.flow.submit(cell.page).click();
      await finish(cell, cell.page);
    },
  },
  {
    name: 'offline after send',
    run: async ({ flow, data, page }) => {
      await offlineAfterSend(page, flow.request(data));
      await flow.submit(page).click();
      await flow.done(page, data);
    },
  },
  {
    name: 'reload mid-request',
    run: async (cell) => {
      await reloadMidRequest(cell.page, cell.flow.request(cell.data), () => cell.flow.submit(cell.page).click());
      await finish(cell, cell.page);
    },
  },
  {
    name: 'duplicated tab',
    run: async (cell) => {
      const { flow, data, page } = cell;
      const held = await holdAnswerAfterCommit(page, flow.request(data));
      await flow.submit(page).click();
      await held.happened;
      const copy = await duplicateTab(page);
      await finish(cell, copy);
      held.release(); // the first tab hears the reset, retries with its key: the same result
      await flow.done(page, data);
      if (flow.keepsAttempt !== false) expect(copy.url(), 'both tabs end on the same result').toBe(page.url());
      await copy.close();
    },
  },
  {
    name: 'back/forward resubmit',
    run: async (cell) => {
      await backForwardResubmit(cell.page, cell.flow.request(cell.data), () => cell.flow.submit(cell.page).click());
      await finish(cell, cell.page);
    },
  },
  {
    name: 'slow server (1.5 s) + impatient clicks',
    run: async ({ flow, data, page }) => {
      await slowServer(page, flow.request(data), 1_500);
      await flow.submit(page).click();
      await burstClicks(flow.submit(page), 3);
      await flow.done(page, data);
    },
  },
  {
    name: 'replay with a changed body',
    applies: (flow) => flow.changeBody !== undefined,
    run: async ({ flow, data, page }) => {
      const recorder = recordMutations(page, (url) => flow.request(data)(new URL(url)));
      await flow.submit(page).click();
      await flow.done(page, data);
      const sent = await recorder.waitFor((e) => (e.response?.status ?? 500) < 300);
      await replayWithChangedBody(page, sent.request, flow.changeBody ?? ((body) => body));
    },
  },
  {
    name: 'replay as another user',
    run: async ({ flow, data, page, ctx }) => {
      const recorder = recordMutations(page, (url) => flow.request(data)(new URL(url)));
      await flow.submit(page).click();
      await flow.done(page, data);
      const sent = await recorder.waitFor((e) => (e.response?.status ?? 500) < 300);
      const other = await replayAsOtherUser(ctx.browser, ctx.baseURL, sent.request, flow.other);
      await other.context.close();
    },
  },
];

// Lean cells, but the CI machine is shared: a cell waits for retries and reloads on a loaded box.
test.describe.configure({ mode: 'parallel', timeout: 90_000 });

for (const flow of FLOWS) {
  for (const fault of FAULTS) {
    if (fault.applies && !fault.applies(flow)) continue;
    test(`${flow.name} × ${fault.name}`, async ({ page, organiser, api, browser, baseURL }) => {
      const ctx: Ctx = { api, organiser, browser, baseURL: baseURL ?? '' };
      const guest = flow.actor === 'guest' ? await browser.newContext({ baseURL }) : null;
      const actorPage = guest ? await guest.newPage() : page;
      // The event forms ask before leaving with unsaved changes; a person in a hurry says yes.
      actorPage.context().on('dialog', (dialog) => void dialog.accept());
      // CHAOS_WITHOUT_PERSISTENCE=1: no sessionStorage, so the controller keeps attempts in memory
      // only, as before attempts were kept — to see which cells the kept attempts are needed for.
      if (process.env.CHAOS_WITHOUT_PERSISTENCE === '1') await actorPage.context().addInitScript(disableSessionStorage);
      const data = await flow.setup(ctx, { page: actorPage, request: actorPage.request });
      await flow.open(actorPage, data);
      await flow.fill(actorPage, data);
      await fault.run({ flow, data, page: actorPage, ctx });
      await flow.effect(ctx, data);
      await expectInvariants(api);
      await guest?.close();
    });
  }
}
