import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { clientAddress } from '../support/fixtures';

type EventSummary = {
  id: string;
  slug: string;
  title: string;
  status: string;
  maxParticipants: number;
  version: number;
  timezone: string;
  seats: { capacity: number; confirmed: number; waitlisted: number; available: number };
};

export async function listEvents(api: APIRequestContext): Promise<EventSummary[]> {
  const response = await api.get('/api/events?limit=200');
  const body = (await response.json()) as { data: { events: EventSummary[] } };
  return body.data.events;
}

export async function eventsTitled(api: APIRequestContext, title: string): Promise<EventSummary[]> {
  return (await listEvents(api)).filter((event) => event.title === title);
}

export async function creditBalance(api: APIRequestContext): Promise<number> {
  const body = (await (await api.get('/api/credits')).json()) as { data: { balance: number } };
  return body.data.balance;
}

/** An event made through the API, for tests about editing. */
export async function createEventViaApi(api: APIRequestContext, overrides: Record<string, unknown> = {}): Promise<EventSummary> {
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  startsAt.setUTCHours(15, 0, 0, 0);
  const response = await api.post('/api/events', {
    headers: { 'Idempotency-Key': randomUUID() },
    data: {
      title: `Fixture ${randomUUID().slice(0, 6)}`,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      timezone: 'Europe/Moscow',
      location: { type: 'in_person', address: 'Tverskaya 1' },
      maxParticipants: 20,
      ...overrides,
    },
  });
  if (response.status() !== 201) throw new Error(`create failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { data: { event: EventSummary } }).data.event;
}

/** A free registration as its guest sees it: the check-in code of its QR and the reference typed at the door. */
export type DoorTicket = { id: string; name: string; code: string; reference: string };

/** An event (createEventViaApi, with `overrides`) with one free registration per name, each read back as its guest sees it. */
export async function eventWithTickets(api: APIRequestContext, names: string[], overrides: Record<string, unknown> = {}): Promise<{ id: string; tickets: DoorTicket[] }> {
  const event = await createEventViaApi(api, overrides);
  const tickets: DoorTicket[] = [];
  for (const name of names) {
    const reg = await api.post(`/api/public/events/${event.slug}/registrations`, {
      headers: { 'Idempotency-Key': randomUUID(), 'x-forwarded-for': clientAddress() },
      data: { name, email: `${randomUUID().slice(0, 8)}@example.com` },
    });
    if (reg.status() !== 201) throw new Error(`registration failed: ${reg.status()} ${await reg.text()}`);
    const token = ((await reg.json()) as { data: { manageUrl: string } }).data.manageUrl.replace(/^\/r\//, '');
    const read = await api.get(`/api/public/registrations/${token}`);
    const registration = ((await read.json()) as { data: { registration: { id: string; code: string; reference: string } } }).data.registration;
    tickets.push({ id: registration.id, name, code: registration.code, reference: registration.reference });
  }
  return { id: event.id, tickets };
}

export const uniqueTitle = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

/** What sticks out to the right of the viewport (empty when the page has no horizontal scroll). */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}.${el.className}`);
  });
}
