// Issue 34: a guest who cancels their order is told "cancelled by you", and is
// not mailed "your order expired" (Eventbrite and Luma mail nothing for a
// checkout the guest abandons). Each path to `cancelled` records its reason;
// the hold sweep's expiry still mails, and keeps no reason.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GET as getOrder } from '@/app/api/public/orders/[token]/route';
import { POST as cancelOrder } from '@/app/api/public/orders/[token]/cancel/route';
import { POST as postOrder } from '@/app/api/public/events/[slug]/orders/route';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { organiserOrdersOf, refundOrderOfCancelledEvent } from '@/lib/tickets/refunds';
import { expireOrders, readOrder, setOrderStatus } from '@/lib/tickets/orders';
import { call, createOrganiser } from './support';
import { ticketedEvent } from './ticket-support';

afterAll(async () => {
  await closeDb();
});

type Order = { id: string; status: string; cancelReason: string | null };

async function placed(slug: string, ticketTypeId: string): Promise<{ order: Order; token: string }> {
  const res = await call(postOrder, 'POST', `/api/public/events/${slug}/orders`, {
    key: randomUUID(),
    params: { slug },
    body: { name: 'Guest', email: `guest-${randomUUID().slice(0, 8)}@example.com`, items: [{ ticketTypeId, quantity: 2 }] },
  });
  expect(res.status, res.text).toBe(201);
  const { order, manageUrl } = (res.json as { data: { order: Order; manageUrl: string } }).data;
  return { order, token: manageUrl.slice('/o/'.length) };
}

const mailsOfEvent = async (eventId: string) =>
  (await getPool().query<{ kind: string }>('select kind from outbox_messages where event_id = $1 order by created_at', [eventId])).rows.map((r) => r.kind);

async function guestCancels(token: string): Promise<Order> {
  const res = await call(cancelOrder, 'POST', `/api/public/orders/${token}/cancel`, { key: randomUUID(), params: { token } });
  expect(res.status, res.text).toBe(200);
  return (res.json as { data: { order: Order } }).data.order;
}

describe('why an order was cancelled', () => {
  it('a guest who cancels before paying: cancelled by the guest, the seats free, no mail', async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500], { maxParticipants: 2 });
    const paidType = typeIds[0] ?? '';
    const { order, token } = await placed(event.slug, paidType);
    expect(order).toMatchObject({ status: 'pending_payment', cancelReason: null });

    const cancelled = await guestCancels(token);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'guest' });
    // The order page reads the same.
    const page = await call(getOrder, 'GET', `/api/public/orders/${token}`, { params: { token } });
    expect((page.json as { data: { order: Order } }).data.order).toMatchObject({ status: 'cancelled', cancelReason: 'guest' });
    // A repeat answers unchanged.
    expect(await guestCancels(token)).toMatchObject({ status: 'cancelled', cancelReason: 'guest' });
    expect(await mailsOfEvent(event.id)).toEqual([]);
    // Both seats are free again: a second guest gets them.
    expect((await placed(event.slug, paidType)).order.status).toBe('pending_payment');
  });

  it('a free order the guest cancels: cancelled by the guest, no mail beyond its confirmation', async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [0]);
    const { order, token } = await placed(event.slug, typeIds[0] ?? '');
    expect(order.status).toBe('confirmed');
    expect(await guestCancels(token)).toMatchObject({ status: 'cancelled', cancelReason: 'guest' });
    expect(await mailsOfEvent(event.id)).toEqual(['order_confirmed']);
  });

  it("an event's cancellation cancels its pending orders with the event's reason", async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500]);
    const { order } = await placed(event.slug, typeIds[0] ?? '');
    await getPool().query(`update events set status = 'cancelled' where id = $1`, [event.id]);
    expect(await getDb().transaction((tx) => refundOrderOfCancelledEvent(tx, order.id))).toBe('cancelled');
    expect((await readOrder(getDb(), order.id))?.cancelReason).toBe('event_cancelled');
  });

  it('a hold that runs out still expires with its mail, and no cancel reason', async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500]);
    const { order } = await placed(event.slug, typeIds[0] ?? '');
    await getDb().transaction(async (tx) => {
      const row = await readOrder(tx, order.id);
      if (!row) throw new Error('no order');
      await expireOrders(tx, [row]);
    });
    expect(await readOrder(getDb(), order.id)).toMatchObject({ status: 'expired', cancelReason: null });
    expect(await mailsOfEvent(event.id)).toEqual(['order_hold_expired']);
  });

  it('a move to cancelled without its reason (or a reason with another move) is refused before it is written', async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500]);
    const { order } = await placed(event.slug, typeIds[0] ?? '');
    const row = await readOrder(getDb(), order.id);
    if (!row) throw new Error('no order');
    await expect(getDb().transaction((tx) => setOrderStatus(tx, row, 'cancelled'))).rejects.toThrow('cancel reason');
    await expect(getDb().transaction((tx) => setOrderStatus(tx, row, 'expired', 'guest'))).rejects.toThrow('cancel reason');
    // The database keeps to the listed reasons.
    await expect(getPool().query(`update orders set cancel_reason = 'bored' where id = $1`, [order.id])).rejects.toMatchObject({ code: '23514' });
    expect((await readOrder(getDb(), order.id))?.status).toBe('pending_payment');
  });

  it("the organiser's view of orders, read inside a transaction, sends no query while another runs (pg's DeprecationWarning)", async () => {
    const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500]);
    const { order } = await placed(event.slug, typeIds[0] ?? '');
    const warnings: string[] = [];
    const listen = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', listen);
    try {
      const shaped = await getDb().transaction(async (tx) => {
        const row = await readOrder(tx, order.id);
        if (!row) throw new Error('no order');
        return organiserOrdersOf(tx, [row]);
      });
      expect(shaped.map((o) => o.id)).toEqual([order.id]);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((w) => w.includes('client.query()'))).toEqual([]);
  });
});
