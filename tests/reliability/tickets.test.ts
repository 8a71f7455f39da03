// Paid tickets on real processes: 300 guests race for 30 paid seats over two
// `next start` instances against one Postgres, with the local TEST payment
// provider (the same inbox as Stripe's webhook). Of each round's holders some
// pay at once, some abandon (their holds expire: the ticket worker started
// with each app sweeps them, no webhook), and some pay after their hold ran
// out (seated if the seats are free then, refunded in full otherwise). A
// read-only connection samples confirmed plus held seats throughout. CI runs
// it at a tenth (30 guests, 3 seats); `npm run test:soak` at full size.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, request, signUp, sleep, type ApiResponse } from './harness/client';
import { startScenario, type Scenario } from './harness/scenario';
import { soakSize } from './harness/soak';

const CAPACITY = soakSize(30);
const GUESTS = soakSize(300);
const HOLD_SECONDS = 3;
// Rounds stop once the seats are all paid for; more of them only matter on a loaded machine, where a
// slow "pay at once" lands after its 3-second hold and is refunded (seats then fill a round later).
const ROUNDS = 16;

type Placed = { order: { id: string; status: string }; paymentUrl: string | null; manageUrl: string };

describe('paid tickets across two instances', () => {
  let scenario: Scenario;
  let readonly: pg.Pool;
  let slug = '';
  let eventId = '';
  let typeId = '';

  beforeAll(async () => {
    const env = {
      TRUST_PROXY_HOPS: '1',
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
      PAYMENTS_TEST_PROVIDER: '1',
      HOLD_MINUTES: String(HOLD_SECONDS / 60),
      TICKETS_SWEEP_MS: '300',
      OUTBOX_WORKER: 'off',
    };
    scenario = await startScenario('tickets', { instances: [{ name: 'a', env }, { name: 'b', env }] });
    readonly = new pg.Pool({ connectionString: scenario.database.url, max: 2, options: '-c default_transaction_read_only=on' });
    const [a] = scenario.instances;
    if (!a) throw new Error('two instances expected');
    const organiser = await signUp(a.url, 'Host');
    const res = await request(a.url, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: eventBody({ title: 'Ticket race', maxParticipants: CAPACITY }) });
    expect(res.status, res.text).toBe(201);
    ({ id: eventId, slug } = (res.json as { data: { event: { id: string; slug: string } } }).data.event);
    const type = await request(a.url, 'POST', `/api/events/${eventId}/ticket-types`, {
      cookie: organiser.cookie,
      key: randomUUID(),
      body: { name: 'Standard', price: { amount: 1500, currency: 'EUR' } },
    });
    expect(type.status, type.text).toBe(201);
    typeId = (type.json as { data: { ticketType: { id: string } } }).data.ticketType.id;
  });
  afterAll(async () => {
    await readonly?.end();
    await scenario?.close();
  });

  it(`${GUESTS} guests for ${CAPACITY} seats: exactly ${CAPACITY} paid, every abandoned hold freed, every late payment seated or refunded`, async () => {
    const instances = scenario.instances;
    const url = (i: number) => instances[i % 2]?.url ?? '';
    let running = true;
    let maxTaken = 0;
    const sampler = (async () => {
      while (running) {
        const { rows } = await readonly.query<{ taken: number }>(
          `select (select confirmed_count from events where id = $1)
                + coalesce((select sum(i.quantity) from order_items i join orders o on o.id = i.order_id
                            where o.event_id = $1 and o.status = 'pending_payment' and o.hold_expires_at > now()), 0)::int as taken`,
          [eventId],
        );
        maxTaken = Math.max(maxTaken, rows[0]?.taken ?? 0);
        await sleep(20);
      }
    })();

    const pay = async (i: number, placed: Placed) => {
      const token = placed.manageUrl.slice(3);
      await request(url(i), 'GET', `/o/${token}/pay`, { timeoutMs: 60_000 });
      return request(url(i + 1), 'POST', `/api/public/orders/${token}/test-pay`, { key: randomUUID(), body: { outcome: 'paid' }, timeoutMs: 60_000 });
    };
    const waiting = new Set(Array.from({ length: GUESTS }, (_, i) => i));
    const latePayments: Promise<ApiResponse>[] = [];
    const statuses: number[] = [];
    for (let round = 0; round < ROUNDS && waiting.size > 0; round++) {
      const guests = [...waiting];
      const answers = await Promise.all(
        guests.map((i) =>
          request(url(i), 'POST', `/api/public/events/${slug}/orders`, {
            key: randomUUID(),
            body: { name: `Guest ${i}`, email: `guest-${i}@example.com`, items: [{ ticketTypeId: typeId, quantity: 1 }] },
            headers: { 'x-forwarded-for': `203.0.113.${i % 250}` },
            timeoutMs: 60_000,
          }).then((res) => ({ i, res })),
        ),
      );
      statuses.push(...answers.map((a) => a.res.status));
      const holders = answers.filter((a) => a.res.status === 201);
      const paying: Promise<unknown>[] = [];
      for (const [n, { i, res }] of holders.entries()) {
        const placed = (res.json as { data: Placed }).data;
        if (n % 3 === 0 || round >= 3) {
          // Pays at once: seated.
          waiting.delete(i);
          paying.push(pay(i, placed));
        } else if (n % 3 === 1) {
          // Pays after the hold ran out (the payment page opened in time), while
          // the next round's guests hold the seats: refunded in full, or seated if some are free.
          waiting.delete(i);
          const token = placed.manageUrl.slice(3);
          await request(url(i), 'GET', `/o/${token}/pay`, { timeoutMs: 60_000 });
          latePayments.push(
            sleep(HOLD_SECONDS * 1600).then(() => request(url(i + 1), 'POST', `/api/public/orders/${token}/test-pay`, { key: randomUUID(), body: { outcome: 'paid' }, timeoutMs: 60_000 })),
          );
        }
        // Otherwise abandoned (the first rounds only): the sweep frees it; the guest tries again next round.
      }
      await Promise.all(paying);
      await sleep(HOLD_SECONDS * 1000 + 1200);
      const seatedNow = await readonly.query<{ n: number }>(`select confirmed_count as n from events where id = $1`, [eventId]);
      if ((seatedNow.rows[0]?.n ?? 0) >= CAPACITY) break;
    }
    await Promise.all(latePayments);
    await sleep(2000); // the last sweep and refunds
    running = false;
    await sampler;

    expect(statuses.every((s) => s === 201 || s === 409), `statuses: ${[...new Set(statuses)].join(',')}`).toBe(true);
    expect(maxTaken).toBeLessThanOrEqual(CAPACITY);
    const { rows } = await readonly.query<{ status: string; n: number }>('select status, count(*)::int as n from orders where event_id = $1 group by status', [eventId]);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const seated = await readonly.query<{ n: number }>(`select count(*)::int n from registrations where event_id = $1 and status = 'confirmed'`, [eventId]);
    expect(seated.rows[0]?.n).toBe(CAPACITY);
    expect(byStatus.confirmed).toBe(CAPACITY);
    // Every abandoned hold was freed: nothing pending is left.
    expect(byStatus.pending_payment ?? 0).toBe(0);
    // Every payment is seated or refunded in full, and each refund went out.
    const stranded = await readonly.query(
      `select o.id from orders o join payments p on p.order_id = o.id
        where o.event_id = $1
          and not exists (select 1 from registrations r where r.order_id = o.id and r.status = 'confirmed')
          and coalesce((select sum(amount) from refunds r where r.order_id = o.id and r.status = 'succeeded'), 0) <> p.amount`,
      [eventId],
    );
    expect(stranded.rows).toEqual([]);
    const paid = await readonly.query<{ n: number }>(`select count(*)::int n from payments p join orders o on o.id = p.order_id where o.event_id = $1`, [eventId]);
    expect(paid.rows[0]?.n).toBe(CAPACITY + (byStatus.refunded ?? 0));
    expect(latePayments.length).toBeGreaterThan(0);
  }, 300_000);
});
