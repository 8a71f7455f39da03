import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';

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
