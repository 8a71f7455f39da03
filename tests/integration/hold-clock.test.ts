// Whether a hold is live is decided by the app's one clock (lib/clock.ts),
// in the seat counts, the payment page and the sweep alike: moving the clock
// past a hold's end frees its seats without waiting for it.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb } from '@/lib/db/pool';
import { seatsHeld } from '@/lib/events/event-row';
import { extendHoldForSession, isPayable, readOrder } from '@/lib/tickets/orders';
import { holdsOf } from '@/lib/tickets/ticket-types';
import { createOrganiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

afterEach(() => setClock(undefined));
afterAll(async () => {
  await closeDb();
});

describe('one clock for live holds', () => {
  it('a hold stops counting and stops being payable once the clock passes its end', async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [900]);
    const ticketTypeId = typeIds[0] ?? '';
    const orderId = (await placeOrder(event.slug, ticketTypeId, 3)).id;
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
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [900]);
    // Placed by a server whose clock ran an hour behind: by the database's clock its hold is long over.
    setClock(manualClock(Date.now() - 60 * 60_000));
    const orderId = (await placeOrder(event.slug, typeIds[0] ?? '', 1)).id;
    const order = await readOrder(getDb(), orderId);
    if (!order) throw new Error('no order');
    expect(order.holdExpiresAt.getTime()).toBeLessThan(Date.now());
    setClock(manualClock(order.holdExpiresAt.getTime() - 60_000));
    expect(isPayable(order)).toBe(true);
    expect(await extendHoldForSession(getDb(), order, 30 * 60_000)).toBeNull();
    expect((await readOrder(getDb(), orderId))?.holdExtendedAt).toBeNull();
  });
});
