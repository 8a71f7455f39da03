// The yardstick: the same effect (one INSERT into bench_effect in a
// Drizzle transaction, a fresh UUID key per operation, pool of 16) bare, inside
// our layer, inside Powertools idempotency and inside @node-idempotency/core
// (both on Redis at REDIS_URL), at concurrency 1 and 16, first executions and
// replays, BENCH_PEER_OPS operations a row (2,000), three runs, medians; then
// correctness probes run here (a real crash, 16 concurrent duplicates, the same
// key with another payload). Against a scratch database on DATABASE_URL's
// server (created and dropped here). Without Redis the peer rows are skipped.
// Standalone: `DATABASE_URL=… npx tsx scripts/bench/peers.ts` prints the section.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrateDatabase } from '@/lib/db/migrate';
import type { Database } from '@/lib/db/pool';
import { createTestDatabase } from '../../tests/setup/global-db';
import { percentile, runIfMain, timeCalls } from './measure';
import {
  BARE,
  CREATE_EFFECT_TABLE,
  CREATE_FLOOR_TABLE,
  FLOOR,
  LEASE_SECONDS,
  OTHER_PAYLOAD,
  PAYLOAD,
  REDIS_KEY_PREFIX,
  REDIS_URL,
  benchUser,
  bareRunner,
  countEffects,
  deletePeerKeys,
  floorRunner,
  nodeIdempotencyRecordHoursLeft,
  openDb,
  openRunner,
  redisVersion,
  type Library,
  type Outcome,
  type Runner,
} from './peers-runners';

const OPS = Number(process.env.BENCH_PEER_OPS ?? 2000);
const RUNS = Number(process.env.BENCH_PEER_RUNS ?? 3);
const CONCURRENCY = [1, 16] as const;
const POOL = 16;
const REPLAY_KEYS = 100;
/** No atomic design beats the floor; ours should stay within this factor of it. */
const FLOOR_GOAL = 1.2;
const SERVER_VERSION = sql`select current_setting('server_version') as v`;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');

type Mode = 'first' | 'replay';
type Sample = { opsPerSecond: number; p50: number; p99: number; unexpected: number };
type Row = { library: string; concurrency: number; mode: Mode; opsPerSecond: number; p50: number; p99: number; unexpected: number };

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

/** `ops` calls with `concurrency` workers; counts calls whose outcome is not the expected kind. */
async function measure(ops: number, concurrency: number, expect: Outcome['kind'], one: (i: number) => Promise<Outcome>): Promise<Sample> {
  let unexpected = 0;
  const timing = await timeCalls(ops, concurrency, async (i) => {
    if ((await one(i)).kind !== expect) unexpected++;
  });
  return { ...timing, unexpected };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- throughput

async function throughput(runners: Runner[], log: (line: string) => void): Promise<Row[]> {
  const samples = new Map<string, { library: string; concurrency: number; mode: Mode; list: Sample[] }>();
  const add = (library: string, concurrency: number, mode: Mode, s: Sample) => {
    const id = `${library}|${concurrency}|${mode}`;
    const entry = samples.get(id) ?? { library, concurrency, mode, list: [] };
    entry.list.push(s);
    samples.set(id, entry);
  };
  // A fixed set of completed keys per library for the replays, made (and the
  // pool, plans and JIT warmed) before anything is measured.
  const replayKeys = new Map<string, string[]>();
  for (const runner of runners) {
    const keys = Array.from({ length: REPLAY_KEYS }, () => randomUUID());
    await measure(keys.length, 4, 'ran', (i) => runner.run({ key: keys[i] ?? '', payload: PAYLOAD }));
    if (runner.replays !== false) await measure(200, 4, 'replayed', (i) => runner.run({ key: keys[i % keys.length] ?? '', payload: PAYLOAD }));
    replayKeys.set(runner.name, keys);
  }
  for (let run = 1; run <= RUNS; run++) {
    for (const concurrency of CONCURRENCY) {
      // Each run starts with another library, so none is always measured right after the same neighbour.
      const order = runners.map((_, i) => runners[(i + run - 1) % runners.length]!);
      for (const runner of order) {
        log(`peers: run ${run}/${RUNS}, concurrency ${concurrency}, ${runner.name}`);
        add(runner.name, concurrency, 'first', await measure(OPS, concurrency, 'ran', () => runner.run({ key: randomUUID(), payload: PAYLOAD })));
        const keys = replayKeys.get(runner.name) ?? [];
        if (runner.replays === false) continue;
        add(runner.name, concurrency, 'replay', await measure(OPS, concurrency, 'replayed', (i) => runner.run({ key: keys[i % keys.length] ?? '', payload: PAYLOAD })));
      }
    }
  }
  return [...samples.values()].map(({ library, concurrency, mode, list }) => ({
    library,
    concurrency,
    mode,
    opsPerSecond: median(list.map((s) => s.opsPerSecond)),
    p50: median(list.map((s) => s.p50)),
    p99: median(list.map((s) => s.p99)),
    unexpected: list.reduce((n, s) => n + s.unexpected, 0),
  }));
}

// ------------------------------------------------------------------- probes

type CrashResult = {
  library: Library;
  /** Effect rows for the key once the child was killed. */
  afterCrash: number;
  answers: string[];
  /** Seconds from the kill until a retry was accepted (ran or replayed), or null within the bounded wait. */
  acceptedAfter: number | null;
  final: number;
  note?: string;
};

const RETRY_WAIT_SECONDS = LEASE_SECONDS + 10;

async function crashProbe(library: Library, db: Database, dbUrl: string, userId: string): Promise<CrashResult> {
  const key = randomUUID();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'peers-child.ts'), library, key], {
    cwd: REPO_ROOT,
    env: { ...process.env, PEERS_DB_URL: dbUrl, PEERS_USER_ID: userId, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Ours: the effect is uncommitted inside the layer's transaction, so the
  // child's own word (EFFECT, said after the INSERT) is the signal. The peers:
  // the committed row, visible in Postgres.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`crash probe ${library}: no effect within 60 s (${out} ${err})`);
    if (child.exitCode !== null) throw new Error(`crash probe ${library}: the child exited early (${out} ${err})`);
    if (library === 'ours' ? out.includes('EFFECT') : (await countEffects(db, key)) > 0) break;
    await sleep(20);
  }
  child.kill('SIGKILL');
  await exited;
  const killedAt = Date.now();
  await sleep(200);
  const afterCrash = await countEffects(db, key);
  const runner = await openRunner(library, db, userId);
  const answers: string[] = [];
  let acceptedAfter: number | null = null;
  try {
    while ((Date.now() - killedAt) / 1000 < RETRY_WAIT_SECONDS) {
      const outcome = await runner.run({ key, payload: PAYLOAD });
      const text = outcome.kind === 'refused' ? `refused (${outcome.detail})` : outcome.kind;
      if (answers[answers.length - 1] !== text) answers.push(text);
      if (outcome.kind !== 'refused') {
        acceptedAfter = (Date.now() - killedAt) / 1000;
        break;
      }
      await sleep(1000);
    }
  } finally {
    await runner.close();
  }
  let note: string | undefined;
  if (library === 'node-idempotency' && acceptedAfter === null) {
    const hours = await nodeIdempotencyRecordHoursLeft(key);
    if (hours !== null) note = `its IN_PROGRESS record has ${hours.toFixed(1)} h left to live (no lease: the key is stuck until then)`;
  }
  return { library, afterCrash, answers, acceptedAfter, final: await countEffects(db, key), ...(note ? { note } : {}) };
}

type DuplicatesResult = { library: Library; effects: number; tally: Record<string, number> };

/** 16 calls with one key at once; each holds 100 ms after its effect so all of them meet the first in progress. */
async function duplicatesProbe(library: Library, db: Database, userId: string): Promise<DuplicatesResult> {
  const key = randomUUID();
  const runner = await openRunner(library, db, userId, () => sleep(100));
  try {
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => runner.run({ key, payload: PAYLOAD })));
    const tally: Record<string, number> = {};
    for (const o of outcomes) {
      const text = o.kind === 'refused' ? `refused (${o.detail})` : o.kind;
      tally[text] = (tally[text] ?? 0) + 1;
    }
    return { library, effects: await countEffects(db, key), tally };
  } finally {
    await runner.close();
  }
}

type PayloadResult = { library: Library; samePayload: Outcome; otherPayload: Outcome; effects: number };

/** The key completed with one payload, then sent again with the same payload, then with another. */
async function otherPayloadProbe(library: Library, db: Database, userId: string): Promise<PayloadResult> {
  const key = randomUUID();
  const runner = await openRunner(library, db, userId);
  try {
    const first = await runner.run({ key, payload: PAYLOAD });
    if (first.kind !== 'ran') throw new Error(`payload probe ${library}: the first call answered ${first.kind} ${first.detail}`);
    const samePayload = await runner.run({ key, payload: PAYLOAD });
    const otherPayload = await runner.run({ key, payload: OTHER_PAYLOAD });
    return { library, samePayload, otherPayload, effects: await countEffects(db, key) };
  } finally {
    await runner.close();
  }
}

// ---------------------------------------------------------------- footprint

type Footprint = { table: string; rows: number; tupleBytes: number; diskBytesPerRow: number; indexes: number; partialIndexes: number };

/** Rows, average tuple size, on-disk bytes per row (heap, TOAST and indexes) and indexes of the floor's table and ours, as the runs left them. */
async function recordFootprint(db: Database): Promise<Footprint[]> {
  const out: Footprint[] = [];
  for (const table of ['bench_floor', 'idempotency_keys']) {
    const rows = await db.execute<{ n: number; tuple: number; disk: number; indexes: number; partial: number }>(sql`
      select count(*)::int as n,
        coalesce(avg(pg_column_size(t.*)), 0)::float8 as tuple,
        (pg_total_relation_size(${table}::regclass) / greatest(count(*), 1))::float8 as disk,
        (select count(*)::int from pg_index i where i.indrelid = ${table}::regclass) as indexes,
        (select count(*)::int from pg_index i where i.indrelid = ${table}::regclass and i.indpred is not null) as partial
      from ${sql.identifier(table)} t`);
    const r = rows.rows[0];
    if (r) out.push({ table, rows: r.n, tupleBytes: r.tuple, diskBytesPerRow: r.disk, indexes: r.indexes, partialIndexes: r.partial });
  }
  return out;
}

function footprintTable(footprint: Footprint[]): string[] {
  const statements: Record<string, string> = {
    bench_floor: '4 in 3 round trips: `BEGIN`; the effect; the row\'s `INSERT` + `COMMIT`',
    idempotency_keys:
      "6 in 3 round trips: `BEGIN` + `pg_try_advisory_xact_lock` + the record's read; the effect; the record's `INSERT` + `COMMIT`",
  };
  const lines = [
    '| record | rows | bytes per tuple (avg) | on-disk bytes per row (heap + indexes) | indexes written per row | statements per first execution |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const f of footprint) {
    const written = f.indexes - f.partialIndexes;
    const indexes = f.partialIndexes ? `${written} of ${f.indexes} (the partial in-progress index is not written)` : String(written);
    lines.push(`| \`${f.table}\` | ${n0(f.rows)} | ${n0(f.tupleBytes)} | ${n0(f.diskBytesPerRow)} | ${indexes} | ${statements[f.table] ?? '–'} |`);
  }
  return lines;
}

// ----------------------------------------------------------------- markdown

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const x = (n: number) => `${n.toFixed(2)}x`;
const yes = (ok: boolean) => (ok ? 'yes' : '**no**');

const LIBRARY_LABEL: Record<Library, string> = {
  ours: 'ours',
  powertools: 'Powertools (as benchmarked: 15 s Lambda-like context)',
  'powertools-validation': 'Powertools + payload validation',
  'powertools-no-context': 'Powertools, no Lambda context',
  'node-idempotency': '@node-idempotency/core',
};

function throughputTable(rows: Row[]): string[] {
  const bare = (c: number) => rows.find((r) => r.library === BARE && r.concurrency === c);
  const lines = [
    '| concurrency | library | operations | ops/s | p50 ms | p99 ms | time per op vs bare (bare ops/s ÷ ops/s) | p50 over bare, ms | unexpected answers |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of CONCURRENCY) {
    const b = bare(c);
    for (const r of rows.filter((row) => row.concurrency === c)) {
      const ratio = b ? x(b.opsPerSecond / r.opsPerSecond) : '–';
      const extra = b && r.library !== BARE ? ms(r.p50 - b.p50) : '–';
      const mode = r.library === BARE || r.library === FLOOR ? 'fresh key' : r.mode === 'first' ? 'first executions' : `replays (${REPLAY_KEYS} completed keys)`;
      lines.push(`| ${c} | ${r.library} | ${mode} | ${n0(r.opsPerSecond)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ratio} | ${extra} | ${r.unexpected} |`);
    }
  }
  return lines;
}

function goalTable(rows: Row[], peers: string[]): string[] {
  const at = (library: string, c: number, mode: Mode) => rows.find((r) => r.library === library && r.concurrency === c && r.mode === mode);
  const lines = ['| goal | ours | best peer | ratio | met |', '| --- | ---: | --- | ---: | --- |'];
  for (const c of CONCURRENCY) {
    const bare = at(BARE, c, 'first');
    const ours = at('ours (withIdempotency)', c, 'first');
    if (!bare || !ours) continue;
    const overhead = (r: Row) => bare.opsPerSecond / r.opsPerSecond;
    const best = peers
      .map((p) => at(p, c, 'first'))
      .filter((r): r is Row => r !== undefined)
      .sort((a, b) => overhead(a) - overhead(b))[0];
    if (!best) continue;
    const ratio = overhead(ours) / overhead(best);
    lines.push(
      `| first executions at concurrency ${c}: our overhead over a bare transaction ≤ the best peer's | ${x(overhead(ours))} bare | ${best.library}: ${x(overhead(best))} bare | ${x(ratio)} | ${yes(ratio <= 1)} |`,
    );
  }
  for (const c of CONCURRENCY) {
    const floor = at(FLOOR, c, 'first');
    const ours = at('ours (withIdempotency)', c, 'first');
    if (!floor || !ours) continue;
    const ratio = floor.opsPerSecond / ours.opsPerSecond;
    lines.push(
      `| first executions at concurrency ${c}: ours within ${FLOOR_GOAL}x of the atomic floor (floor ops/s ÷ ours) | ${n0(ours.opsPerSecond)} ops/s | atomic floor: ${n0(floor.opsPerSecond)} ops/s | ${x(ratio)} | ${yes(ratio <= FLOOR_GOAL)} |`,
    );
  }
  const oursReplay = at('ours (withIdempotency)', 16, 'replay');
  const bestReplay = peers
    .map((p) => at(p, 16, 'replay'))
    .filter((r): r is Row => r !== undefined)
    .sort((a, b) => b.opsPerSecond - a.opsPerSecond)[0];
  if (oursReplay && bestReplay) {
    const ratio = oursReplay.opsPerSecond / bestReplay.opsPerSecond;
    lines.push(
      `| replays at concurrency 16: ours ≥ the best peer's ops/s | ${n0(oursReplay.opsPerSecond)} ops/s | ${bestReplay.library}: ${n0(bestReplay.opsPerSecond)} ops/s | ${x(ratio)} | ${yes(ratio >= 1)} |`,
    );
  }
  return lines;
}

const effects = (n: number) => `**${n} effect${n === 1 ? '' : 's'}**`;
const answer = (o: Outcome, silentIsWrong = false) =>
  o.kind === 'refused'
    ? `refused (${o.detail})`
    : o.kind === 'replayed'
      ? silentIsWrong
        ? '**replayed the first answer silently**'
        : 'replayed the first answer'
      : '**ran the effect again**';

function probeTable(libraries: Library[], crash: CrashResult[], dups: DuplicatesResult[], payload: PayloadResult[]): string[] {
  const lines = [
    `| library | crash after the effect, then a retry every 1 s (up to ${RETRY_WAIT_SECONDS} s) | 16 concurrent duplicates of one key | same key again after completion: same payload / another payload |`,
    '| --- | --- | --- | --- |',
  ];
  const tally = (t: Record<string, number>) => Object.entries(t).map(([k, n]) => `${n} ${k}`).join(', ');
  for (const l of libraries) {
    const c = crash.find((r) => r.library === l);
    const d = dups.find((r) => r.library === l);
    const p = payload.find((r) => r.library === l);
    const crashCell = c
      ? `${effects(c.final)} (${c.afterCrash} right after the kill); retries: ${c.answers.join(' → ')}; ${
          c.acceptedAfter === null ? `not accepted within ${RETRY_WAIT_SECONDS} s` : `accepted ${c.acceptedAfter.toFixed(1)} s after the kill`
        }${c.note ? `; ${c.note}` : ''}`
      : '–';
    const dupCell = d ? `${effects(d.effects)}; ${tally(d.tally)}` : '–';
    const payloadCell = p ? `${answer(p.samePayload)} / ${answer(p.otherPayload, true)}; ${effects(p.effects)}` : '–';
    lines.push(`| ${LIBRARY_LABEL[l]} | ${crashCell} | ${dupCell} | ${payloadCell} |`);
  }
  return lines;
}

// --------------------------------------------------------------------- main

export type PeersOptions = { log?: (line: string) => void };

export async function runPeersBench(options: PeersOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(`[peers] ${line}`));
  const serverUrl = process.env.DATABASE_URL;
  const heading = ['## Against the peers: Powertools idempotency and @node-idempotency/core (in-process)', ''];
  if (!serverUrl) {
    return [...heading, '_Skipped: the peers bench needs a Postgres server on DATABASE_URL (the crash probe kills a separate process mid-operation)._'].join('\n');
  }
  const redis = await redisVersion();
  const started = Date.now();
  const scratch = await createTestDatabase(serverUrl, `bench_peers_${Date.now()}_${process.pid}`);
  const { db, end } = openDb(scratch.url, POOL);
  const runners: Runner[] = [];
  try {
    await migrateDatabase(scratch.url);
    const version = (await db.execute<{ v: string }>(SERVER_VERSION)).rows[0]?.v ?? '?';
    await db.execute(CREATE_EFFECT_TABLE);
    await db.execute(CREATE_FLOOR_TABLE);
    const userId = await benchUser(db);
    const peerNames = ['Powertools idempotency', '@node-idempotency/core'];
    runners.push(bareRunner(db), floorRunner(db), await openRunner('ours', db, userId));
    if (redis) runners.push(await openRunner('powertools', db, userId), await openRunner('node-idempotency', db, userId));
    else log(`no Redis at ${REDIS_URL}: the peer rows are skipped`);

    const rows = await throughput(runners, log);
    const footprint = await recordFootprint(db);

    const libraries: Library[] = redis ? ['ours', 'powertools', 'powertools-validation', 'powertools-no-context', 'node-idempotency'] : ['ours'];
    log(`probes: crash after the effect (${libraries.length} children at once, then retries for up to ${RETRY_WAIT_SECONDS} s)`);
    const crash = await Promise.all(libraries.map((l) => crashProbe(l, db, scratch.url, userId)));
    log('probes: 16 concurrent duplicates');
    const dups: DuplicatesResult[] = [];
    for (const l of libraries) dups.push(await duplicatesProbe(l, db, userId));
    log('probes: same key, another payload');
    const payload: PayloadResult[] = [];
    for (const l of libraries) payload.push(await otherPayloadProbe(l, db, userId));

    const versions = ['@aws-lambda-powertools/idempotency', '@node-idempotency/core', '@node-idempotency/storage-adapter-redis', '@redis/client']
      .map((name) => `${name} ${packageVersion(name)}`)
      .join(', ');
    // Its own `redis` (4.x), nested under the adapter or hoisted to the top.
    const nested = packageVersion('@node-idempotency/storage-adapter-redis/node_modules/redis');
    const adapterRedis = nested === '?' ? packageVersion('redis') : nested;
    return [
      ...heading,
      `The same effect for everyone: one \`INSERT\` into \`bench_effect(id uuid primary key, key uuid, payload jsonb)\` in a Drizzle transaction, a fresh UUID key per operation, one pool of ${POOL} connections; ${n0(OPS)} operations a row, ${RUNS} runs, medians of each figure (unexpected answers are summed over the runs). Replays cycle over ${REPLAY_KEYS} keys completed before the runs. The order of the libraries rotates from run to run. "Time per op vs bare" is the bare transaction's ops/s over the row's at the same concurrency: a library's overhead.`,
      '',
      `- Database: PostgreSQL ${version}, a scratch database on DATABASE_URL's server (created and dropped by the bench)`,
      `- Machine: nproc ${os.availableParallelism()}, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, RAM ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average at the end of the runs ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} (the machine is shared)`,
      `- Command: \`DATABASE_URL=postgres://…/test npm run bench\` (all of it), \`BENCH_ONLY=idempotency\` (the layer's in-process sections only) or \`npx tsx scripts/bench/peers.ts\` (this section, printed); ${new Date().toISOString()}`,
      `- Redis: ${redis ? `${redis} at ${REDIS_URL} (the peers' persistence; in memory, whatever the server's persistence settings)` : `**none at ${REDIS_URL}: the peer rows and probes are skipped**`}`,
      `- Peers: ${versions} (Powertools' client; the node-idempotency adapter brings its own \`redis\` ${adapterRedis})`,
      `- Powertools: \`makeIdempotent\` with \`CachePersistenceLayer\` (its Redis layer) over an \`@redis/client\` client, \`IdempotencyConfig({ eventKeyJmesPath: 'key' })\`, each call given a Lambda-like context whose \`getRemainingTimeInMillis()\` counts down from ${LEASE_SECONDS} s (its in-progress expiry, the same lease as ours); records expire after its default hour. Without payload validation: with \`payloadValidationJmesPath\` its Redis layer refuses every replay (see the probes), so no replay row could be measured`,
      `- @node-idempotency/core: \`Idempotency\` over \`RedisStorageAdapter\`, defaults (no wait on an in-progress key, records kept 24 h, no lease), \`onRequest\` → the effect → \`onResponse\`, as its HTTP adapters call it`,
      `- Ours: \`withIdempotency\` on its one-transaction path (the key's advisory lock, the effect and the record written once, completed, in one transaction; no lease), through \`runOurs\` in scripts/bench/peers-runners.ts`,
      `- ${Math.round((Date.now() - started) / 1000)} s for this section; \`BENCH_PEER_OPS\` / \`BENCH_PEER_RUNS\` shrink it for a trial`,
      '',
      ...throughputTable(rows),
      '',
      '### Goals (issue 11), from the rows above',
      '',
      ...goalTable(rows, redis ? peerNames : []),
      '',
      '### What our record still costs above the atomic floor',
      '',
      `The atomic floor (\`${FLOOR}\`, \`floorRunner\` in scripts/bench/peers-runners.ts) is the bare transaction plus one row of \`bench_floor(id uuid primary key)\`, sent with the \`COMMIT\` through \`transactionFinishingWith\` as our record is: the same three round trips as the bare transaction and ours. No design that commits its record with the effect can beat it. Measured after the throughput runs above, from the rows they wrote (sizes from \`pg_column_size\` and \`pg_total_relation_size\`); statements counted from the code:`,
      '',
      ...footprintTable(footprint),
      '',
      'What ours does above the floor, from the code: (1) two statements sent with `BEGIN`, no round trip of their own but each parsed, planned and run: the key\'s `pg_try_advisory_xact_lock(hashtextextended(…))` and the record\'s read through the scope\'s unique index; (2) a record of the width above instead of a bare uuid, written into three indexes instead of one: the primary key, the scope (`principal`, `route`, `key`: two texts and a uuid) and `expires_at` (for the purge), where the floor writes its primary key only; the columns are what the contract needs (the fingerprint and the request for a 422 that names the differing fields, the stored answer for replays, the attempt for fencing, the expiry); (3) the layer\'s own work in Node: the fingerprint (canonical JSON, SHA-256), the request serialised for `request_body`, the record\'s statement with its values quoted in, the replay cache\'s entry and the outcome\'s log line and metrics. `DATABASE_URL=… npx tsx scripts/bench/floor-steps.ts` adds these one at a time (docs/benchmarks.md, "Where the time goes", has its figures).',
      '',
      '### Correctness probes (run by the bench)',
      '',
      `- Crash: a child process (\`node --import tsx scripts/bench/peers-child.ts\`) runs one operation and is killed with SIGKILL right after the effect: for the peers once the committed row is visible in Postgres (the library has not yet recorded completion); for ours inside the layer's transaction after the \`INSERT\` and before \`COMMIT\` (the one-transaction design has no later point before the record is complete). Then the parent retries the same key and payload every second for up to ${RETRY_WAIT_SECONDS} s and counts the effect rows.`,
      '- Duplicates: 16 calls with one key at once, each holding 100 ms after its effect so the others meet it in progress.',
      '- Same key again: the key completed with one payload, then sent again with the same payload, then with another.',
      '- "Powertools + payload validation" adds `payloadValidationJmesPath: \'payload\'`; "Powertools, no Lambda context" is the benchmarked setup called as a plain function, as code outside Lambda calls it: no in-progress expiry is recorded.',
      '',
      ...probeTable(libraries, crash, dups, payload),
    ].join('\n');
  } finally {
    for (const r of runners) await r.close();
    if (redis) log(`deleted ${await deletePeerKeys().catch(() => 0)} Redis keys under ${REDIS_KEY_PREFIX}*`);
    await end();
    await scratch.drop();
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

runIfMain(import.meta.url, () => runPeersBench());
