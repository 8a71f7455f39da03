// How long confirming a paid order holds its event's row lock, counted in
// statements: every query a pooled client sends from the event's
// `SELECT … FOR UPDATE` to the COMMIT (pg's Client.query, so a statement sent
// by Drizzle or by hand counts alike). Each one is a round trip that every
// payment, order and registration queued behind the lock waits for
// (docs/benchmarks.md, "Confirming a paid order: the event's lock").
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { PaymentEvent } from '@/lib/billing/purchases';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { recordPaymentEvent } from '@/lib/flows/payment-inbox';
import { createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';

afterAll(async () => {
  await closeDb();
});


async function paidOrderEvent(organiser: Organiser): Promise<{ event: PaymentEvent; orderId: string }> {
  const { event, typeIds } = await ticketedEvent(organiser, [1500], { maxParticipants: 20 });
  const order = await placeOrder(event.slug, typeIds[0] ?? '', 2);
  return {
    orderId: order.id,
    event: {
      provider: 'test',
      id: `evt_lock_${randomUUID()}`,
      type: 'checkout.session.completed',
      session: {
        id: `test_cs_${order.id}`,
        checkoutId: order.id,
        orderId: order.id,
        paid: true,
        amountTotal: order.total.amount,
        currency: order.total.currency,
        paymentId: `test_pi_${order.id}`,
      },
    },
  };
}

/** The statements sent from the event's row lock to the COMMIT, while `work` runs. */
async function underTheEventLock(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const original = pg.Client.prototype.query;
  const spy = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    sent.push(typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? ''));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = spy as typeof original;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  const start = sent.findIndex((text) => /from "events"/i.test(text) && /for update/i.test(text));
  const end = sent.findIndex((text, i) => i > start && /^\s*commit/i.test(text));
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return sent.slice(start, end + 1);
}

describe('confirming a paid order', () => {
  it('holds the event lock for the seat decision only', async () => {
    const organiser = await createOrganiser();
    await loadServerKeys();
    const quiet = await paidOrderEvent(organiser);
    const withoutEndpoint = await underTheEventLock(() => getDb().transaction((tx) => recordPaymentEvent(tx, quiet.event)));

    // An organiser with an endpoint for order.paid: the payload is built, still under the lock.
    await getPool().query(`insert into webhook_endpoints (team_id, url, events, secret) values ($1, 'https://hooks.example.com/x', '{order.paid}', 'whsec_x')`, [organiser.id]);
    const listened = await paidOrderEvent(organiser);
    const withEndpoint = await underTheEventLock(() => getDb().transaction((tx) => recordPaymentEvent(tx, listened.event)));

    const status = await getPool().query<{ status: string }>(`select status from orders where id = any($1::uuid[])`, [[quiet.orderId, listened.orderId]]);
    expect(status.rows.map((row) => row.status)).toEqual(['confirmed', 'confirmed']);
    const deliveries = await getPool().query(`select 1 from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where e.team_id = $1`, [organiser.id]);
    expect(deliveries.rowCount).toBe(1);
    console.log(`statements under the event's lock: ${withoutEndpoint.length} (no endpoint), ${withEndpoint.length} (an endpoint for order.paid)`);
    expect(withoutEndpoint.length).toBeLessThanOrEqual(10);
    expect(withEndpoint.length).toBeLessThanOrEqual(15);
  });
});
