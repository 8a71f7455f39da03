// Cancelling an event refunds its paid orders whoever cancels it, one
// transaction per order, exactly once per order, whatever crashes in between
// (lib/flows/cancel-event.ts: the event's status is the durable marker).
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { refundOrdersOfCancelledEvents } from '@/lib/flows/cancel-event';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { refundOrderOfCancelledEvent } from '@/lib/tickets/refunds';
import { createOrganiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

afterAll(async () => {
  await closeDb();
});

async function eventWithTypes() {
  const { event, typeIds } = await ticketedEvent(await createOrganiser(), [1500, 0]);
  const [paidType, freeType] = typeIds;
  if (!paidType || !freeType) throw new Error('two types expected');
  return { event, paidType, freeType };
}

async function order(slug: string, ticketTypeId: string): Promise<{ id: string; total: number }> {
  const placed = await placeOrder(slug, ticketTypeId, 2);
  return { id: placed.id, total: placed.total.amount };
}

async function pay(o: { id: string; total: number }): Promise<void> {
  const outcome = await getDb().transaction((tx) =>
    recordPaymentEvent(tx, {
      provider: 'test',
      id: `evt_cancel_${randomUUID()}`,
      type: 'checkout.session.completed',
      session: { id: `test_cs_${o.id}`, checkoutId: o.id, orderId: o.id, paid: true, amountTotal: o.total, currency: 'eur', paymentId: `test_pi_${o.id}` },
    }),
  );
  expect(outcome).toBe('order_paid');
}

const rows = async (text: string, values: unknown[]) => (await getPool().query(text, values)).rows;

describe('cancelling an event', () => {
  it('refunds each paid order once, whoever cancelled it and whatever crashed in between', async () => {
    await loadServerKeys();
    const { event, paidType, freeType } = await eventWithTypes();
    const paid = [await order(event.slug, paidType), await order(event.slug, paidType), await order(event.slug, paidType)];
    for (const o of paid) await pay(o);
    const pending = await order(event.slug, paidType);
    const free = await order(event.slug, freeType);

    // Cancelled behind the API's back: the status alone must be enough.
    await getPool().query(`update events set status = 'cancelled' where id = $1`, [event.id]);

    // A worker dies after writing the first order's refund, before its commit: nothing of it stays.
    const first = paid[0]?.id ?? '';
    await expect(
      getDb().transaction(async (tx) => {
        expect(await refundOrderOfCancelledEvent(tx, first)).toBe('refunded');
        throw new Error('killed before the commit');
      }),
    ).rejects.toThrow('killed before the commit');
    expect(await rows(`select 1 from refunds where order_id = $1`, [first])).toHaveLength(0);

    // Two workers at once, then another round: one refund per paid order, never two.
    await Promise.all([refundOrdersOfCancelledEvents(getDb()), refundOrdersOfCancelledEvents(getDb())]);
    await refundOrdersOfCancelledEvents(getDb());
    const refunds = await rows(
      `select r.order_id, r.amount, r.reason from refunds r join orders o on o.id = r.order_id where o.event_id = $1 order by r.order_id`,
      [event.id],
    );
    expect(refunds).toEqual(
      paid.map((o) => ({ order_id: o.id, amount: o.total, reason: 'event_cancelled' })).sort((a, b) => a.order_id.localeCompare(b.order_id)),
    );
    const statuses = Object.fromEntries(
      (await rows(`select id, status from orders where event_id = $1`, [event.id])).map((row: { id: string; status: string }) => [row.id, row.status]),
    );
    expect(statuses[pending.id]).toBe('cancelled');
    expect(statuses[free.id]).toBe('confirmed');
    // Confirmed until the provider confirms the refund (another file's refund round may already have sent it).
    for (const o of paid) expect(['confirmed', 'refunded']).toContain(statuses[o.id]);
    expect(await rows(`select 1 from outbox_messages where kind = 'order_event_cancelled' and event_id = $1`, [event.id])).toHaveLength(3);
  });
});
