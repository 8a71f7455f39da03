// The four ways the peers bench runs one and the same effect (one INSERT into
// bench_effect in a Drizzle transaction): bare, inside our layer, inside
// Powertools idempotency (Redis persistence, a Lambda-like context) and inside
// @node-idempotency/core (its Redis adapter). Shared by the bench
// (scripts/bench/peers.ts) and its crash child (scripts/bench/peers-child.ts).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { jsonb, pgTable, uuid } from 'drizzle-orm/pg-core';
import { createClient } from '@redis/client';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import { Idempotency, type IdempotencyParams } from '@node-idempotency/core';
import { RedisStorageAdapter } from '@node-idempotency/storage-adapter-redis';
import { createPool, type Database, type Tx } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { transactionFinishingWith } from '@/lib/db/transaction';
import { withIdempotency } from '@/lib/idempotency';

export const benchEffect = pgTable('bench_effect', {
  id: uuid('id').primaryKey(),
  key: uuid('key').notNull(),
  payload: jsonb('payload').notNull(),
});

export const CREATE_EFFECT_TABLE = sql`create table if not exists bench_effect (id uuid primary key, key uuid not null, payload jsonb not null)`;
/** The atomic floor's durable row: a uuid primary key and nothing else. */
export const CREATE_FLOOR_TABLE = sql`create table if not exists bench_floor (id uuid primary key)`;

/** The Lambda-like lease every library gets: an operation may hold its key this long. */
export const LEASE_SECONDS = 15;
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every Redis key the peers write starts with this; the bench deletes them at the end. */
export const REDIS_KEY_PREFIX = 'bench-peers';

export type Payload = Record<string, unknown>;
export type Op = { key: string; payload: Payload };
/** What one call did: ran the effect, answered from the record, or refused (an error, named). */
export type Outcome = { kind: 'ran' | 'replayed' | 'refused'; detail: string };
/** Awaited inside the operation right after the effect's INSERT (ours: before its commit; the peers: after it). */
export type Hook = () => Promise<void>;
export type Runner = {
  name: string;
  run(op: Op): Promise<Outcome>;
  close(): Promise<void>;
  /** false: the runner keeps no record to replay from (the bare transaction, the atomic floor). */
  replays?: false;
};

export const PAYLOAD: Payload = { title: 'Bench event', maxParticipants: 50, location: { type: 'online', url: 'https://example.com' } };
export const OTHER_PAYLOAD: Payload = { ...PAYLOAD, title: 'Another bench event' };

export function openDb(url: string, max = 16): { db: Database; end(): Promise<void> } {
  const pool = createPool(url, max);
  return { db: drizzle(pool, { schema }), end: () => pool.end() };
}

/** The effect: one INSERT in the given transaction; its id and who ran it (a nonce per call). */
async function insertEffect(tx: Tx, op: Op): Promise<string> {
  const id = randomUUID();
  await tx.insert(benchEffect).values({ id, key: op.key, payload: op.payload });
  return id;
}

export async function countEffects(db: Database, key: string): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from bench_effect where key = ${key}`);
  return rows.rows[0]?.n ?? 0;
}

function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}` : error.name;
  }
  return String(error);
}

export const BARE = 'bare transaction';
export const FLOOR = 'atomic floor (bare + one uuid row)';

export function bareRunner(db: Database): Runner {
  return {
    name: BARE,
    async run(op) {
      await db.transaction((tx) => insertEffect(tx, op));
      return { kind: 'ran', detail: 'committed' };
    },
    close: async () => {},
    replays: false,
  };
}

/**
 * What no design that commits its record with the effect can beat: the bare
 * transaction plus one minimal durable row (bench_floor: a uuid primary key,
 * nothing else) written in the same commit, sent with the COMMIT so it costs no
 * round trip of its own (BEGIN; the effect; the row + COMMIT: the bare
 * transaction's three, as ours has).
 */
export function floorRunner(db: Database): Runner {
  return {
    name: FLOOR,
    async run(op) {
      await transactionFinishingWith(db, async (tx, literal) => {
        await insertEffect(tx, op);
        return { statement: `insert into bench_floor (id) values (${literal(randomUUID())}::uuid)`, value: null };
      });
      return { kind: 'ran', detail: 'committed' };
    },
    close: async () => {},
    replays: false,
  };
}

/** The bench user our layer's records belong to (idempotency_keys.user_id references auth.users). */
export async function benchUser(db: Database): Promise<string> {
  const rows = await db.execute<{ id: string }>(sql`insert into auth.users (email) values (${`bench-peers-${randomUUID()}@example.com`}) returning id`);
  const id = rows.rows[0]?.id;
  if (!id) throw new Error('could not create the bench user');
  return id;
}

/**
 * Every use of our layer's API is in this one function, so a change of its
 * signature is adapted here and nowhere else in the peers bench.
 */
export async function runOurs(db: Database, userId: string, op: Op, afterEffect?: Hook): Promise<Outcome> {
  const res = await withIdempotency(
    {
      principal: { kind: 'user', userId },
      operation: 'POST /bench/peers',
      method: 'POST',
      key: op.key,
      params: {},
      body: op.payload,
      confirming: false,
      db,
    },
    async (tx) => {
      const id = await insertEffect(tx, op);
      if (afterEffect) await afterEffect();
      return { kind: 'completed', response: { status: 201, body: { success: true, data: { id } }, headers: {} } };
    },
  );
  switch (res.kind) {
    case 'executed':
      return res.outcome === 'completed' ? { kind: 'ran', detail: String(res.response.status) } : { kind: 'refused', detail: res.outcome };
    case 'replayed':
      return { kind: 'replayed', detail: String(res.response.status) };
    case 'not_stored':
      return { kind: 'replayed', detail: '409 IDEMPOTENCY_RESPONSE_NOT_STORED' };
    case 'in_progress':
      return { kind: 'refused', detail: '409 REQUEST_IN_PROGRESS' };
    case 'mismatch':
      return { kind: 'refused', detail: '422 IDEMPOTENCY_KEY_REUSED' };
  }
}

export function oursRunner(db: Database, userId: string, afterEffect?: Hook): Runner {
  return { name: 'ours (withIdempotency)', run: (op) => runOurs(db, userId, op, afterEffect), close: async () => {} };
}

/** The part of the Lambda context Powertools reads: the time left, here a 15 s deadline per invocation. */
type LambdaLikeContext = {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
};
type PowertoolsEvent = { key: string; payload: Payload; nonce: string };
type PowertoolsResult = { id: string; nonce: string };

/**
 * Powertools idempotency with its Redis (cache) persistence layer: the key is
 * the event's `key`, and each call passes a fresh Lambda-like context whose
 * remaining time is 15 s, which Powertools turns into the in-progress expiry
 * (its lease). `lambdaContext: false` calls it as a plain function (no
 * context), as code outside Lambda would. `payloadValidation` adds
 * payloadValidationJmesPath 'payload' (in 2.35.0 the cache layer does not keep
 * the payload hash on the completed record, so every replay is then refused:
 * the throughput rows run without it).
 */
export async function powertoolsRunner(
  db: Database,
  options: { lambdaContext: boolean; payloadValidation: boolean; afterEffect?: Hook },
): Promise<Runner> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  const persistenceStore = new CachePersistenceLayer({ client });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    ...(options.payloadValidation ? { payloadValidationJmesPath: 'payload' } : {}),
  });
  const handler = async (event: PowertoolsEvent, _context?: LambdaLikeContext): Promise<PowertoolsResult> => {
    const id = await db.transaction((tx) => insertEffect(tx, event));
    if (options.afterEffect) await options.afterEffect();
    return { id, nonce: event.nonce };
  };
  const idempotent = makeIdempotent(handler, { persistenceStore, config, keyPrefix: REDIS_KEY_PREFIX });
  return {
    name: `Powertools idempotency${options.lambdaContext ? '' : ', no Lambda context'}${options.payloadValidation ? ', payload validation' : ''}`,
    async run(op) {
      const nonce = randomUUID();
      const event: PowertoolsEvent = { key: op.key, payload: op.payload, nonce };
      const deadline = Date.now() + LEASE_SECONDS * 1000;
      const context: LambdaLikeContext = {
        functionName: 'bench-peers',
        awsRequestId: nonce,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      };
      try {
        const result = await (options.lambdaContext ? idempotent(event, context) : idempotent(event));
        return { kind: result.nonce === nonce ? 'ran' : 'replayed', detail: 'ok' };
      } catch (error) {
        return { kind: 'refused', detail: errorName(error) };
      }
    },
    async close() {
      await client.quit().catch(() => {});
    },
  };
}

type NodeIdempotencyBody = { id: string; nonce: string };
const NODE_IDEMPOTENCY_PATH = '/bench/peers';

/**
 * @node-idempotency/core with @node-idempotency/storage-adapter-redis, used as
 * its HTTP adapters use it: onRequest (claim or the stored answer), the
 * operation, onResponse (store the answer). Defaults otherwise (no waiting on
 * an in-progress key, records kept 24 h).
 */
export async function nodeIdempotencyRunner(db: Database, afterEffect?: Hook): Promise<Runner> {
  const storage = new RedisStorageAdapter({ url: REDIS_URL });
  await storage.connect();
  const idempotency = new Idempotency(storage, { cacheKeyPrefix: `${REDIS_KEY_PREFIX}:node-idempotency` });
  return {
    name: '@node-idempotency/core',
    async run(op) {
      const nonce = randomUUID();
      const req: IdempotencyParams = { headers: { 'idempotency-key': op.key }, path: NODE_IDEMPOTENCY_PATH, method: 'POST', body: op.payload };
      try {
        const stored = await idempotency.onRequest(req);
        if (stored) {
          const body = stored.body as NodeIdempotencyBody | undefined;
          return { kind: body?.nonce === nonce ? 'ran' : 'replayed', detail: 'ok' };
        }
        const id = await db.transaction((tx) => insertEffect(tx, op));
        if (afterEffect) await afterEffect();
        const body: NodeIdempotencyBody = { id, nonce };
        await idempotency.onResponse(req, { body });
        return { kind: 'ran', detail: 'ok' };
      } catch (error) {
        return { kind: 'refused', detail: errorName(error) };
      }
    },
    async close() {
      await storage.disconnect();
    },
  };
}

/** Hours left on @node-idempotency's record of a key (its default TTL is 24 h), or null when there is none. */
export async function nodeIdempotencyRecordHoursLeft(key: string): Promise<number | null> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    const ms = await client.pTTL(`${REDIS_KEY_PREFIX}:node-idempotency:POST:${NODE_IDEMPOTENCY_PATH}:${key}`);
    return ms < 0 ? null : ms / 3_600_000;
  } finally {
    await client.quit().catch(() => {});
  }
}

/** Deletes the keys the peers wrote (they would otherwise live 1 h / 24 h in Redis); how many. */
export async function deletePeerKeys(): Promise<number> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  let deleted = 0;
  try {
    for await (const batch of client.scanIterator({ MATCH: `${REDIS_KEY_PREFIX}*`, COUNT: 1000 })) {
      const keys = Array.isArray(batch) ? batch.map(String) : [String(batch)];
      if (keys.length > 0) deleted += await client.del(keys);
    }
  } finally {
    await client.quit().catch(() => {});
  }
  return deleted;
}

/** The Redis server's version, or null when none answers at REDIS_URL (the peers are then skipped). */
export async function redisVersion(): Promise<string | null> {
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = await client.info('server');
    await client.quit();
    return /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  } catch {
    await client.disconnect().catch(() => {});
    return null;
  }
}

export type Library = 'ours' | 'powertools' | 'powertools-validation' | 'powertools-no-context' | 'node-idempotency';

export async function openRunner(library: Library, db: Database, userId: string, afterEffect?: Hook): Promise<Runner> {
  switch (library) {
    case 'ours':
      return oursRunner(db, userId, afterEffect);
    case 'powertools':
      return powertoolsRunner(db, { lambdaContext: true, payloadValidation: false, afterEffect });
    case 'powertools-validation':
      return powertoolsRunner(db, { lambdaContext: true, payloadValidation: true, afterEffect });
    case 'powertools-no-context':
      return powertoolsRunner(db, { lambdaContext: false, payloadValidation: false, afterEffect });
    case 'node-idempotency':
      return nodeIdempotencyRunner(db, afterEffect);
  }
}
