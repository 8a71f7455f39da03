// The create write path in-process, with and without the idempotency layer:
// the real createEvent in a bare transaction against the same createEvent
// inside withIdempotency. "Create throughput within 1.5x of the bare write
// path" is judged here, where nothing else (HTTP, session) differs.
import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import { apiRoute, routeLabel } from '../../lib/api-routes';
import { createPool, type Database } from '../../lib/db/pool';
import * as schema from '../../lib/db/schema';
import { createEventSchema } from '../../lib/events/schemas';
import { createEvent } from '../../lib/events/service';
import { runIdempotent } from '../../lib/http/idempotent';
import { eventBody } from '../../tests/reliability/harness/client';
import { timeCalls } from './measure';

export type WritePathRow = { path: string; concurrency: number; rps: number; p50: number; p99: number };

const OPS = Number(process.env.BENCH_WRITE_OPS ?? 600);
const CREATE_EVENT = apiRoute('POST', '/api/events');

async function measure(ops: number, concurrency: number, op: () => Promise<void>): Promise<{ rps: number; p50: number; p99: number }> {
  const { opsPerSecond, p50, p99 } = await timeCalls(ops, concurrency, op);
  return { rps: opsPerSecond, p50, p99 };
}

export async function runWritePathBench(url: string, userId: string, embedded: boolean): Promise<WritePathRow[]> {
  const pool = createPool(url, embedded ? 1 : 16);
  const db: Database = drizzle(pool, { schema });
  const input = createEventSchema.parse(eventBody({ title: 'Write path' }));
  const actor = { teamId: userId, idempotencyKeyId: null, confirmCredit: false };
  const bare = async () => {
    await db.transaction((tx) => createEvent(tx, actor, input));
  };
  const layered = async () => {
    const res = await runIdempotent(
      { principal: { kind: 'user', userId }, operation: routeLabel(CREATE_EVENT), key: randomUUID(), method: CREATE_EVENT.method, params: {}, body: input, confirming: false, locale: 'en', db },
      async (tx, record) => {
        const result = await createEvent(tx, { ...actor, idempotencyKeyId: record.id }, input);
        return { status: 201, body: { success: true, data: result }, headers: {}, resource: { type: 'event', id: result.event.id } };
      },
    );
    if (res.status !== 201) throw new Error(`layered create answered ${res.status}`);
  };
  try {
    await measure(100, 4, bare);
    await measure(100, 4, layered);
    const rows: WritePathRow[] = [];
    for (const concurrency of [1, 16]) {
      rows.push({ path: 'bare transaction', concurrency, ...(await measure(OPS, concurrency, bare)) });
      rows.push({ path: 'withIdempotency', concurrency, ...(await measure(OPS, concurrency, layered)) });
    }
    return rows;
  } finally {
    await pool.end();
  }
}
