// Paid-ticket fixtures through the real route handlers: an organiser's event
// with ticket types, and a guest's order. Shared by the tests of holds, the
// event's lock and cancelled events.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as createType } from '@/app/api/events/[id]/ticket-types/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { type EventBody, validEventBody } from '../support/event-body';
import { call, type Organiser } from './support';

type Data<T> = { data: T };

/** A published event of `organiser` with one ticket type per price (in minor units, EUR), in that order. */
export async function ticketedEvent(
  organiser: Organiser,
  amounts: number[],
  body: Partial<EventBody> = {},
): Promise<{ event: { id: string; slug: string }; typeIds: string[] }> {
  const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody(body) });
  expect(created.status, created.text).toBe(201);
  const { event } = (created.json as Data<{ event: { id: string; slug: string } }>).data;
  const typeIds: string[] = [];
  for (const amount of amounts) {
    const res = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id },
      body: { name: `T${amount}`, price: { amount, currency: 'EUR' } },
    });
    expect(res.status, res.text).toBe(201);
    typeIds.push((res.json as Data<{ ticketType: { id: string } }>).data.ticketType.id);
  }
  return { event, typeIds };
}

/** A guest's order of `quantity` tickets of one type. */
export async function placeOrder(slug: string, ticketTypeId: string, quantity: number): Promise<{ id: string; total: { amount: number; currency: string } }> {
  const res = await call(postOrder, 'POST', `/api/public/events/${slug}/orders`, {
    key: randomUUID(),
    params: { slug },
    body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items: [{ ticketTypeId, quantity }] },
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as Data<{ order: { id: string; total: { amount: number; currency: string } } }>).data.order;
}
