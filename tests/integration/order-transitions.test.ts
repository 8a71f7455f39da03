// The order status table the code asks (ORDER_TRANSITIONS, lib/tickets/order-status.ts)
// and the database's guard (trigger orders_transition) allow the same steps:
// every pair of statuses is tried against the trigger, each in a savepoint of
// one transaction that is rolled back at the end.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { ORDER_STATUSES, type OrderStatus } from '@/lib/db/enums';
import { closeDb, getPool } from '@/lib/db/pool';
import { canMoveOrder } from '@/lib/tickets/order-status';
import { validEventBody } from '../support/event-body';
import { call, createOrganiser } from './support';

afterAll(async () => {
  await closeDb();
});

describe('order status transitions', () => {
  it('the TypeScript table and the trigger orders_transition allow exactly the same steps', async () => {
    const organiser = await createOrganiser();
    const created = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody() });
    expect(created.status, created.text).toBe(201);
    const eventId = (created.json as { data: { event: { id: string } } }).data.event.id;
    const client = await getPool().connect();
    const allowedByTrigger: Record<string, boolean> = {};
    try {
      await client.query('begin');
      for (const from of ORDER_STATUSES) {
        for (const to of ORDER_STATUSES) {
          if (from === to) continue;
          await client.query('savepoint step');
          const id = randomUUID();
          await client.query(
            `insert into orders (id, event_id, status, name, email, token_hash, currency, total_amount, hold_expires_at)
             values ($1, $2, $3, 'Guest', 'guest@example.com', $4, 'eur', 1000, now() + interval '10 minutes')`,
            [id, eventId, from, randomUUID()],
          );
          try {
            await client.query('update orders set status = $2 where id = $1', [id, to]);
            allowedByTrigger[`${from} → ${to}`] = true;
          } catch (error) {
            expect((error as { code?: string }).code).toBe('23514');
            allowedByTrigger[`${from} → ${to}`] = false;
          }
          await client.query('rollback to savepoint step');
        }
      }
    } finally {
      await client.query('rollback');
      client.release();
    }
    const allowedByTable = Object.fromEntries(
      ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.filter((to) => to !== from).map((to) => [`${from} → ${to}`, canMoveOrder(from as OrderStatus, to)])),
    );
    expect(allowedByTrigger).toEqual(allowedByTable);
  });
});
