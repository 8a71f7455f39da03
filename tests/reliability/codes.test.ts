// Discount codes on real processes: 200 guests race for a code with 10 uses
// over two `next start` instances against one Postgres, with the local TEST
// payment provider. Each round, every guest still waiting orders one ticket
// with the code at once; of those holding a use, half pay at once and half
// abandon (their 3-second holds expire and the ticket worker of each app
// sweeps them, no webhook), and the next round races for the uses that came
// back. Under this load a round's orders queue for seconds on the event's
// lock, so holds also expire while the round is still ordering and their uses
// go to guests behind them; a payment whose hold ran out is seated only if the
// use is still free, else refunded in full. A read-only connection samples
// the code's confirmed plus live-held tickets throughout: never more than 10.
// In the end exactly 10 discounted tickets are paid, every other payment was
// refunded in full, and every expired order's use came back exactly once (the
// uses equal the paid tickets, nothing is pending).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, request, signUp, sleep, until } from './harness/client';
import { startScenario, type Scenario } from './harness/scenario';

const GUESTS = 200;
const USES = 10;
const HOLD_SECONDS = 3;
const ROUNDS = 12;

type Placed = { order: { id: string; total: { amount: number } }; manageUrl: string };

describe('a 10-use code across two instances', () => {
  let scenario: Scenario;
  let readonly: pg.Pool;
  let slug = '';
  let eventId = '';
  let typeId = '';
  let codeId = '';

  beforeAll(async () => {
    const env = {
      TRUST_PROXY_HOPS: '1',
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      PAYMENTS_TEST_PROVIDER: '1',
      HOLD_MINUTES: String(HOLD_SECONDS / 60),
      TICKETS_SWEEP_MS: '300',
      OUTBOX_WORKER: 'off',
    };
    scenario = await startScenario('codes', { instances: [{ name: 'a', env }, { name: 'b', env }] });
    readonly = new pg.Pool({ connectionString: scenario.database.url, max: 2, options: '-c default_transaction_read_only=on' });
    const [a] = scenario.instances;
    if (!a) throw new Error('two instances expected');
    const organiser = await signUp(a.url, 'Host');
    const res = await request(a.url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody({ title: 'Code race', maxParticipants: 30 }) });
    expect(res.status, res.text).toBe(201);
    ({ id: eventId, slug } = (res.json as { data: { event: { id: string; slug: string } } }).data.event);
    const type = await request(a.url, 'POST', `/api/events/${eventId}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { name: 'Standard', price: { amount: 2000, currency: 'EUR' } },
    });
    expect(type.status, type.text).toBe(201);
    typeId = (type.json as { data: { ticketType: { id: string } } }).data.ticketType.id;
    const code = await request(a.url, 'POST', `/api/events/${eventId}/codes`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { code: 'RACE', discount: { percent: 25 }, maxUses: USES },
    });
    expect(code.status, code.text).toBe(201);
    codeId = (code.json as { data: { code: { id: string } } }).data.code.id;
  });
  afterAll(async () => {
    await readonly?.end();
    await scenario?.close();
  });

  it(`${GUESTS} guests for a ${USES}-use code while holds expire and some pay: exactly ${USES} discounted tickets paid, every expired use returned once`, async () => {
    const url = (i: number) => scenario.instances[i % 2]?.url ?? '';
    const usesNow = async () =>
      (
        await readonly.query<{ n: number }>(
          `select (select count(*) from registrations r join order_items i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
                    where i.code_id = $1 and r.status = 'confirmed')
                + coalesce((select sum(i.quantity) from order_items i join orders o on o.id = i.order_id
                            where i.code_id = $1 and o.status = 'pending_payment' and o.hold_expires_at > now()), 0) as n`,
          [codeId],
        )
      ).rows[0]?.n ?? 0;
    let running = true;
    let maxTaken = 0;
    const sampler = (async () => {
      while (running) {
        maxTaken = Math.max(maxTaken, Number(await usesNow()));
        await sleep(20);
      }
    })();
    const confirmedOrders = async () => (await readonly.query<{ n: number }>(`select count(*)::int n from orders where event_id = $1 and status = 'confirmed'`, [eventId])).rows[0]?.n ?? 0;
    const pendingOrders = async () => (await readonly.query<{ n: number }>(`select count(*)::int n from orders where event_id = $1 and status = 'pending_payment'`, [eventId])).rows[0]?.n ?? 0;

    const waiting = new Set(Array.from({ length: GUESTS }, (_, i) => i));
    const statuses: number[] = [];
    const codes: string[] = [];
    let abandoned = 0;
    try {
    for (let round = 0; round < ROUNDS && (await confirmedOrders()) < USES; round++) {
      const answers = await Promise.all(
        [...waiting].map((i) =>
          request(url(i), 'POST', `/api/public/events/${slug}/orders`, {
            key: randomUUID(),
            body: { name: `Guest ${i}`, email: `guest-${i}@example.com`, items: [{ ticketTypeId: typeId, quantity: 1 }], code: i % 2 === 0 ? 'race' : 'RACE' },
            headers: { 'x-forwarded-for': `203.0.113.${i % 250}` },
            timeoutMs: 60_000,
          }).then((res) => ({ i, res })),
        ),
      );
      statuses.push(...answers.map((a) => a.res.status));
      codes.push(...answers.filter((a) => a.res.status === 409).map((a) => (a.res.json as { error: { code: string } }).error.code));
      const holders = answers.filter((a) => a.res.status === 201);
      const paying: Promise<unknown>[] = [];
      for (const [n, { i, res }] of holders.entries()) {
        const placed = (res.json as { data: Placed }).data;
        expect(placed.order.total.amount).toBe(1500);
        // Half pay at once (the last rounds all of them); the others abandon and try again.
        if (n % 2 === 0 || round >= 4) {
          // Seated, or (its hold ran out and the use went to another) refunded: then it tries again.
          const token = placed.manageUrl.slice(3);
          paying.push(
            (async () => {
              await request(url(i), 'GET', `/o/${token}/pay`, { timeoutMs: 60_000 });
              const paid = await request(url(i + 1), 'POST', `/api/public/orders/${token}/test-pay`, { key: randomUUID(), body: { outcome: 'paid' }, timeoutMs: 60_000 });
              // 404: its hold ran out before the payment page opened a session (nothing paid; it tries again).
              expect([200, 404], paid.text).toContain(paid.status);
              const status = (await readonly.query<{ status: string }>('select status from orders where id = $1', [placed.order.id])).rows[0]?.status;
              if (status === 'confirmed') waiting.delete(i);
            })(),
          );
        } else {
          abandoned += 1;
        }
      }
      await Promise.all(paying);
      // The next round starts once every hold of this one was paid or swept.
      await until('every hold of the round paid or swept', async () => (await pendingOrders()) === 0, 60_000);
    }
    // The refunds of payments that came too late: sent by the refund worker of either instance.
    await until(
      'every refund sent',
      async () => (await readonly.query(`select 1 from refunds r join orders o on o.id = r.order_id where o.event_id = $1 and r.status = 'pending'`, [eventId])).rows.length === 0,
      60_000,
    );
    } finally {
      running = false;
      await sampler;
    }

    expect(statuses.every((s) => s === 201 || s === 409), `statuses: ${[...new Set(statuses)].join(',')}`).toBe(true);
    expect(new Set(codes)).toEqual(new Set(['CODE_EXHAUSTED']));
    expect(maxTaken).toBeLessThanOrEqual(USES);
    const { rows } = await readonly.query<{ status: string; n: number }>('select status, count(*)::int as n from orders where event_id = $1 group by status', [eventId]);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    // Exactly 10 discounted tickets paid; every abandoned hold expired, its use back (nothing pending, no other use).
    expect(byStatus.confirmed).toBe(USES);
    expect(byStatus.pending_payment ?? 0).toBe(0);
    expect(byStatus.expired ?? 0).toBeGreaterThanOrEqual(abandoned);
    expect(abandoned).toBeGreaterThan(0);
    expect(Number(await usesNow())).toBe(USES);
    const discounted = await readonly.query<{ n: number }>(
      `select count(*)::int n from registrations r join order_items i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
        where r.event_id = $1 and r.status = 'confirmed' and i.code_id = $2 and i.unit_discount = 500`,
      [eventId, codeId],
    );
    expect(discounted.rows[0]?.n).toBe(USES);
    // Every payment is seated or all of it came back: what was kept is exactly the 10 discounted tickets.
    const money = await readonly.query<{ paid: number; refunded: number }>(
      `select coalesce(sum(p.amount), 0)::int paid,
              coalesce((select sum(r.amount) from refunds r join orders x on x.id = r.order_id where x.event_id = $1 and r.status = 'succeeded'), 0)::int refunded
         from payments p join orders o on o.id = p.order_id where o.event_id = $1`,
      [eventId],
    );
    expect((money.rows[0]?.paid ?? 0) - (money.rows[0]?.refunded ?? 0)).toBe(USES * 1500);
    const stranded = await readonly.query(
      `select o.id from orders o join payments p on p.order_id = o.id
        where o.event_id = $1 and o.status <> 'confirmed'
          and coalesce((select sum(amount) from refunds r where r.order_id = o.id and r.status = 'succeeded'), 0) <> p.amount`,
      [eventId],
    );
    expect(stranded.rows).toEqual([]);
  }, 300_000);
});
