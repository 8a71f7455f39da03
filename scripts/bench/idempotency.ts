// What withIdempotency costs: the same operation (one insert) in a bare
// transaction and inside the layer, first executions and replays, p50/p99,
// at concurrency 1 and 16. Against a scratch database on the server of
// DATABASE_URL (created and dropped here), else an embedded PGlite.
// Standalone: `npx tsx scripts/bench/idempotency.ts` prints the markdown section.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigserial, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrateDatabase } from '@/lib/db/migrate';
import { createPool, type Database } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { runIdempotent, type IdempotentHttpRequest } from '@/lib/http/idempotent';
import { createTestDatabase } from '../../tests/setup/global-db';
import { runIfMain, timeCalls as measure } from './measure';

const benchEffects = pgTable('bench_effects', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  key: uuid('key').notNull(),
  label: text('label').notNull(),
});

const OPS = Number(process.env.BENCH_OPS ?? 2000);
const CONCURRENCY = [1, 16];
const GOAL_FIRST_VS_BARE = 1.5;
const GOAL_REPLAY_VS_FIRST = 0.6;

type Target = { url: string; kind: 'postgres' | 'pglite'; stop(): Promise<void> };

async function openTarget(): Promise<Target> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: null, port: 54500 });
    await migrateDatabase(embedded.url);
    return { url: embedded.url, kind: 'pglite', stop: () => embedded.stop() };
  }
  const db = await createTestDatabase(serverUrl, `bench_${Date.now()}_${process.pid}`);
  await migrateDatabase(db.url);
  return { url: db.url, kind: 'postgres', stop: () => db.drop() };
}

async function machine(): Promise<string[]> {
  const os = await import('node:os');
  const cpus = os.cpus();
  return [
    `nproc ${os.availableParallelism()}`,
    `CPU ${cpus[0]?.model.trim() ?? 'unknown'}`,
    `RAM ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `Node ${process.version}`,
  ];
}

const ms = (n: number) => n.toFixed(2);
const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');

export async function runIdempotencyBench(): Promise<string> {
  const target = await openTarget();
  // pglite-socket interleaves the statements of concurrent connections on its
  // one session (electric-sql/pglite#1046), so there every worker shares one connection.
  const pool = createPool(target.url, target.kind === 'pglite' ? 1 : Math.max(...CONCURRENCY));
  const db: Database = drizzle(pool, { schema });
  try {
    const version = (await pool.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?';
    await db.execute(sql`create table if not exists bench_effects (id bigserial primary key, key uuid not null, label text not null)`);
    const [user] = await db.execute<{ id: string }>(sql`insert into auth.users (email) values (${`bench-${randomUUID()}@example.com`}) returning id`).then((r) => r.rows);
    if (!user) throw new Error('could not create the bench user');

    const insertEffect = async (tx: Parameters<Parameters<Database['transaction']>[0]>[0], key: string) => {
      const [row] = await tx.insert(benchEffects).values({ key, label: 'bench' }).returning({ id: benchEffects.id });
      return { status: 201, body: { success: true, data: { id: row?.id } }, headers: { Location: `/bench/${row?.id}` } };
    };
    const ctx = (key: string): IdempotentHttpRequest => ({
      principal: { kind: 'user', userId: user.id },
      operation: 'POST /bench',
      key,
      method: 'POST',
      params: {},
      body: { title: 'Bench event', maxParticipants: 50, location: { type: 'online', url: 'https://example.com' } },
      confirming: false,
      locale: 'en',
      db,
    });

    // Warm the pool, the plans and the JIT before measuring.
    await measure(200, 4, async () => {
      await db.transaction((tx) => insertEffect(tx, randomUUID()));
      await runIdempotent(ctx(randomUUID()), (tx) => insertEffect(tx, randomUUID()));
    });

    const rows: string[] = [];
    for (const concurrency of CONCURRENCY) {
      const bare = await measure(OPS, concurrency, async () => {
        await db.transaction((tx) => insertEffect(tx, randomUUID()));
      });
      const keys = Array.from({ length: OPS }, () => randomUUID());
      const first = await measure(OPS, concurrency, async (i) => {
        const res = await runIdempotent(ctx(keys[i] ?? ''), (tx, record) => insertEffect(tx, record.id));
        if (res.status !== 201) throw new Error(`first execution answered ${res.status}`);
      });
      const replay = await measure(OPS, concurrency, async (i) => {
        const res = await runIdempotent(ctx(keys[i] ?? ''), () => Promise.reject(new Error('a replay must not run the operation')));
        if (res.headers['X-Idempotency-Replay'] !== 'true') throw new Error(`replay answered ${res.status}`);
      });
      const firstRatio = first.p50 / bare.p50;
      const replayRatio = replay.p50 / first.p50;
      rows.push(
        `| ${concurrency} | bare transaction | ${ms(bare.p50)} | ${ms(bare.p99)} | ${Math.round(bare.opsPerSecond)} | – | – |`,
        `| ${concurrency} | first execution | ${ms(first.p50)} | ${ms(first.p99)} | ${Math.round(first.opsPerSecond)} | ${firstRatio.toFixed(2)}x bare | ${verdict(firstRatio <= GOAL_FIRST_VS_BARE)} (≤ ${GOAL_FIRST_VS_BARE}x) |`,
        `| ${concurrency} | replay | ${ms(replay.p50)} | ${ms(replay.p99)} | ${Math.round(replay.opsPerSecond)} | ${replayRatio.toFixed(2)}x first | ${verdict(replayRatio <= GOAL_REPLAY_VS_FIRST)} (≤ ${GOAL_REPLAY_VS_FIRST}x) |`,
      );
    }

    const where = target.kind === 'postgres' ? `PostgreSQL ${version} (scratch database on DATABASE_URL's server)` : `embedded PGlite (Postgres ${version}), one connection`;
    return [
      '## Idempotency layer',
      '',
      `The same operation (one \`INSERT\` into \`bench_effects\`) in a bare transaction and inside \`withIdempotency\`; ${OPS} operations per row, latency per call in ms.`,
      '',
      `- Database: ${where}; pool of ${target.kind === 'pglite' ? 1 : Math.max(...CONCURRENCY)} connections`,
      `- Machine: ${(await machine()).join(', ')}`,
      `- Command: \`${target.kind === 'postgres' ? 'DATABASE_URL=… ' : ''}npx tsx scripts/bench/idempotency.ts\`; ${new Date().toISOString().slice(0, 10)}`,
      '',
      '| concurrency | path | p50 ms | p99 ms | ops/s | p50 ratio | meets goal |',
      '| ---: | --- | ---: | ---: | ---: | ---: | --- |',
      ...rows,
      '',
      'Database round trips per call, counted from the code:',
      '',
      '- bare transaction: 3 (`BEGIN`, `INSERT`, `COMMIT`), one commit;',
      '- first execution: 3 (`BEGIN` with the key\'s `pg_try_advisory_xact_lock` and the read of its record, in one round trip; the operation\'s `INSERT`; the record\'s `INSERT`, completed, sent together with `COMMIT`), one commit, one record write;',
      '- replay: none when this process has the answer cached (it wrote or read the record before); else 2 (`BEGIN` with the lock and the read, which finds the record completed; `ROLLBACK`), no write.',
    ].join('\n');
  } finally {
    await pool.end();
    await target.stop();
  }
}

runIfMain(import.meta.url, runIdempotencyBench);
