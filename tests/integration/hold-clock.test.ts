// Whether a hold is live is decided by the app's one clock (lib/clock.ts),
// in the seat counts, the payment page and the sweep alike: moving the clock
// past a hold's end frees its seats without waiting for it.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as createType } from '@/app/api/events/[id]/ticket-types/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb } from '@/lib/db/pool';
import { seatsHeld } from '@/lib/events/event-row';
import { extendHoldForSession, isPayable, readOrder } from '@/lib/tickets/orders';
import { holdsOf } from '@/lib/tickets/ticket-types';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser } from './support';

afterEach(() => setClock(undefined));
afterAll(async () => {
  await closeDb();
});

type Data<T> = { data: T };

describe('one clock for live holds', () => {
  it('a hold stops counting and stops being payable once the clock passes its end', async () => {
    const organiser = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody() });
    expect(created.status, created.text).toBe(201);
    const { event } = (created.json as Data<{ event: { id: string; slug: string } }>).data;
    const type = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id },
      body: { name: 'Standard', price: { amount: 900, currency: 'EUR' } },
    });
    const ticketTypeId = (type.json as Data<{ ticketType: { id: string } }>).data.ticketType.id;
    const placed = await call(postOrder, 'POST', `/api/public/events/${event.slug}/orders`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items: [{ ticketTypeId, quantity: 3 }] },
    });
    expect(placed.status, placed.text).toBe(201);
    const orderId = (placed.json as Data<{ order: { id: string } }>).data.order.id;
    const order = await readOrder(getDb(), orderId);
    if (!order) throw new Error('no order');

    expect(await seatsHeld(getDb(), event.id)).toBe(3);
    expect((await holdsOf(getDb(), event.id)).byType.get(ticketTypeId)).toBe(3);
    expect(isPayable(order)).toBe(true);

    const clock = manualClock(order.holdExpiresAt.getTime() + 1);
    setClock(clock);
    expect(await seatsHeld(getDb(), event.id)).toBe(0);
    expect((await holdsOf(getDb(), event.id)).total).toBe(0);
    expect(isPayable(order)).toBe(false);
    // (The sweep reads the same clock; it is not run here: it would expire other files' orders too.)
  });

  it("a server whose clock runs behind the database's cannot grow a hold the database calls over: the page closes, no error", async () => {
    const organiser = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody() });
    const { event } = (created.json as Data<{ event: { id: string; slug: string } }>).data;
    const type = await call(createType, 'POST', `/api/events/${event.id}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      params: { id: event.id },
      body: { name: 'Standard', price: { amount: 900, currency: 'EUR' } },
    });
    const ticketTypeId = (type.json as Data<{ ticketType: { id: string } }>).data.ticketType.id;
    // Placed by a server whose clock ran an hour behind: by the database's clock its hold is long over.
    setClock(manualClock(Date.now() - 60 * 60_000));
    const placed = await call(postOrder, 'POST', `/api/public/events/${event.slug}/orders`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items: [{ ticketTypeId, quantity: 1 }] },
    });
    expect(placed.status, placed.text).toBe(201);
    const orderId = (placed.json as Data<{ order: { id: string } }>).data.order.id;
    const order = await readOrder(getDb(), orderId);
    if (!order) throw new Error('no order');
    expect(order.holdExpiresAt.getTime()).toBeLessThan(Date.now());
    setClock(manualClock(order.holdExpiresAt.getTime() - 60_000));
    expect(isPayable(order)).toBe(true);
    expect(await extendHoldForSession(getDb(), order, 30 * 60_000)).toBeNull();
    expect((await readOrder(getDb(), orderId))?.holdExtendedAt).toBeNull();
  });
});
