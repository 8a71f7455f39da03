// Where a first execution's time goes above the atomic floor, step by step:
// the floor (the effect plus a uuid row sent with the COMMIT), the floor with
// the key's lock and the record's read sent with BEGIN, the layer's own
// statements (that opening and our record written with the COMMIT) without
// the layer's Node code, and withIdempotency itself. Each step adds one thing,
// so the differences say what it costs. Standalone, not part of `npm run bench`:
// `DATABASE_URL=… npx tsx scripts/bench/floor-steps.ts` prints a markdown table.
import { randomUUID } from 'node:crypto';
import { migrateDatabase } from '@/lib/db/migrate';
import { transactionFinishingWith } from '@/lib/db/transaction';
import { lockAndReadStatements, oneTransactionCompletion } from '@/lib/idempotency/store';
import { createTestDatabase } from '../../tests/setup/global-db';
import { percentile, runIfMain, timeCalls } from './measure';
import { benchEffect, benchUser, CREATE_EFFECT_TABLE, CREATE_FLOOR_TABLE, openDb, PAYLOAD, runOurs } from './peers-runners';

const OPS = Number(process.env.BENCH_PEER_OPS ?? 2000);
const RUNS = Number(process.env.BENCH_PEER_RUNS ?? 3);
const CONCURRENCY = [1, 16];

export async function runFloorSteps(): Promise<string> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return '_Skipped: needs a Postgres server on DATABASE_URL._';
  const scratch = await createTestDatabase(serverUrl, `bench_floor_${Date.now()}_${process.pid}`);
  const { db, end } = openDb(scratch.url, 16);
  try {
    await migrateDatabase(scratch.url);
    await db.execute(CREATE_EFFECT_TABLE);
    await db.execute(CREATE_FLOOR_TABLE);
    const userId = await benchUser(db);
    const principal = { kind: 'user', userId } as const;
    const effect = (tx: Parameters<Parameters<typeof db.transaction>[0]>[0], key: string) =>
      tx.insert(benchEffect).values({ id: randomUUID(), key, payload: PAYLOAD });
    const scopeOf = (key: string) => ({ principal, route: 'POST /bench/floor-steps', key });
    const steps: [string, (key: string) => Promise<unknown>][] = [
      [
        'atomic floor: the effect, a uuid row with the COMMIT',
        (key) =>
          transactionFinishingWith(db, async (tx, literal) => {
            await effect(tx, key);
            return { statement: `insert into bench_floor (id) values (${literal(randomUUID())}::uuid)`, value: null };
          }),
      ],
      [
        "+ the key's lock and the record's read with BEGIN",
        (key) =>
          transactionFinishingWith(
            db,
            async (tx, literal) => {
              await effect(tx, key);
              return { statement: `insert into bench_floor (id) values (${literal(randomUUID())}::uuid)`, value: null };
            },
            (literal) => lockAndReadStatements(literal, scopeOf(key)),
          ),
      ],
      [
        'our statements: that, with our record instead of the uuid row (no layer code)',
        (key) =>
          transactionFinishingWith(
            db,
            async (tx, literal) => {
              await effect(tx, key);
              const request = { ...scopeOf(key), requestHash: randomUUID(), requestBody: { params: {}, body: PAYLOAD }, confirming: false };
              const completion = { status: 201, bodyJson: JSON.stringify({ success: true, data: { id: key } }), headers: {}, stored: true };
              const claimed = { id: randomUUID(), attempt: 1, previousStatus: null };
              return { statement: oneTransactionCompletion(literal, request, claimed, null, completion), value: null };
            },
            (literal) => lockAndReadStatements(literal, scopeOf(key)),
          ),
      ],
      ['withIdempotency (ours, as the peers bench runs it)', (key) => runOurs(db, userId, { key, payload: PAYLOAD })],
    ];
    for (const [, step] of steps) await timeCalls(200, 4, () => step(randomUUID()).then(() => {}));
    const samples = new Map<string, { ops: number[]; p50: number[] }>();
    for (let run = 0; run < RUNS; run++) {
      for (const concurrency of CONCURRENCY) {
        for (const [name, step] of steps) {
          const t = await timeCalls(OPS, concurrency, () => step(randomUUID()).then(() => {}));
          const id = `${concurrency}|${name}`;
          const s = samples.get(id) ?? { ops: [], p50: [] };
          s.ops.push(t.opsPerSecond);
          s.p50.push(t.p50);
          samples.set(id, s);
        }
      }
    }
    const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
    const lines = ['| concurrency | step | ops/s | p50 ms | floor ops/s ÷ ops/s |', '| ---: | --- | ---: | ---: | ---: |'];
    for (const concurrency of CONCURRENCY) {
      const floor = median(samples.get(`${concurrency}|${steps[0]?.[0]}`)?.ops ?? []);
      for (const [name] of steps) {
        const s = samples.get(`${concurrency}|${name}`);
        if (!s) continue;
        const ops = median(s.ops);
        lines.push(`| ${concurrency} | ${name} | ${Math.round(ops).toLocaleString('en-US')} | ${median(s.p50).toFixed(2)} | ${(floor / ops).toFixed(2)}x |`);
      }
    }
    return [`${OPS} operations a step, ${RUNS} runs, medians; a pool of 16.`, '', ...lines].join('\n');
  } finally {
    await end();
    await scratch.drop();
  }
}

runIfMain(import.meta.url, runFloorSteps);
