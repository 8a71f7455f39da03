// The idempotency layer against a real database, through its HTTP bridge
// (runIdempotent: handler answers and AppErrors in, HTTP answers out) and,
// at the end, directly: every claim is checked by counting rows in a table
// only these tests write to (it_effects), and by reading the record itself.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { bigserial, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { drizzle } from 'drizzle-orm/node-postgres';
import { closeDb, createDatabase, createPool, databaseUrl, getDb, type Database, type Tx } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { idempotencyKeys } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import type { JsonResponse } from '@/lib/http/envelope';
import {
  REPLAY_HEADER,
  runIdempotent,
  STORED_HEADER,
  type IdempotentHandler,
  type IdempotentHttpRequest,
} from '@/lib/http/idempotent';
import {
  onIdempotencyOutcome,
  purgeExpired,
  STORED_BODY_LIMIT_BYTES,
  clearReplayCache,
  withIdempotency,
  type ClaimedRecord,
  type IdempotencyOutcome,
  type Principal,
} from '@/lib/idempotency';
import { claim } from '@/lib/idempotency/store';
import { requestFingerprint } from '@/lib/idempotency/fingerprint';
import { createOrganiser } from './support';

const itEffects = pgTable('it_effects', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  key: uuid('key').notNull(),
  label: text('label').notNull(),
});

const kind = inject('databaseKind');
const ROUTE = 'POST /api/things';
const db = getDb();
// One connection: if the layer ever waited on a second connection while holding
// its transaction, calls through this pool would hang.
const singlePool = createPool(databaseUrl(), 1);
const singleConnectionDb: Database = drizzle(singlePool, { schema });
let userId = '';
let otherUserId = '';

beforeAll(async () => {
  await db.execute(sql`create table if not exists it_effects (id bigserial primary key, key uuid not null, label text not null)`);
  [userId, otherUserId] = (await Promise.all([createOrganiser(), createOrganiser()])).map((o) => o.id) as [string, string];
});

afterAll(async () => {
  await singlePool.end();
  await closeDb();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

type OperationResult = Awaited<ReturnType<IdempotentHandler>>;
const user = (id: string): Principal => ({ kind: 'user', userId: id });

/** The request as route() hands it over; its operation asks for confirmation as the event writes do. */
function context(key: string, body: unknown, extra: Partial<IdempotentHttpRequest> = {}): IdempotentHttpRequest {
  return {
    principal: user(userId),
    operation: ROUTE,
    key,
    method: 'POST',
    params: {},
    body,
    confirming: false,
    confirmationCode: 'CREDIT_CONFIRMATION_REQUIRED',
    locale: 'en',
    ...extra,
  };
}

/** An operation that writes one effect row and answers 201 with Location and ETag; counts its runs. */
function effect(label = 'created') {
  const run = async (tx: Tx, record: ClaimedRecord): Promise<OperationResult> => {
    run.calls++;
    const [row] = await tx.insert(itEffects).values({ key: record.id, label }).returning({ id: itEffects.id });
    const id = String(row?.id);
    return {
      status: 201,
      body: { success: true, data: { thing: { id, label } } },
      headers: { Location: `/api/things/${id}`, ETag: '"1"', 'X-Not-Replayed': 'yes' },
    };
  };
  run.calls = 0;
  return run;
}

async function effectRows(recordId: string) {
  return db.select().from(itEffects).where(eq(itEffects.key, recordId));
}

async function recordFor(key: string, user = userId, route = ROUTE) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, user), eq(idempotencyKeys.route, route), eq(idempotencyKeys.key, key)));
  if (!row) throw new Error(`no idempotency record for ${key}`);
  return row;
}

function errorCode(response: JsonResponse): string | undefined {
  return (response.body as { error?: { code?: string } } | null)?.error?.code;
}

/** Outcomes reported for one key, in order. */
function watchOutcomes(key: string) {
  const outcomes: IdempotencyOutcome[] = [];
  const stop = onIdempotencyOutcome((record) => {
    if (record.key === key) outcomes.push(record.outcome);
  });
  return { outcomes, stop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `key`'s lease has lapsed by the database's clock, the one the claim reads. */
async function untilLeaseLapsed(key: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sleep(50);
    const { rows } = await db.execute<{ lapsed: boolean }>(sql`select locked_until <= now() as lapsed from idempotency_keys where key = ${key}`);
    if (rows[0]?.lapsed === true) return;
    if (Date.now() > deadline) throw new Error(`the lease of ${key} did not lapse within ${timeoutMs} ms`);
  }
}

describe('runIdempotent: first execution and replay', () => {
  it('replays the stored response for the same key without running the operation again', async () => {
    const key = randomUUID();
    const op = effect();
    const first = await runIdempotent(context(key, { title: 'Launch' }), op);
    expect(first.status).toBe(201);
    expect(first.headers[STORED_HEADER]).toBe('true');
    expect(first.headers[REPLAY_HEADER]).toBeUndefined();

    const again = await runIdempotent(context(key, { title: 'Launch' }), op);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers[REPLAY_HEADER]).toBe('true');
    expect(again.headers[STORED_HEADER]).toBeUndefined();
    expect(again.headers.Location).toBe(first.headers.Location);
    expect(again.headers.ETag).toBe('"1"');
    expect(again.headers['X-Not-Replayed']).toBeUndefined();

    expect(op.calls).toBe(1);
    const record = await recordFor(key);
    expect(record).toMatchObject({ status: 'completed', attempt: 1, responseStatus: 201 });
    expect(await effectRows(record.id)).toHaveLength(1);
  });

  it('treats a body with the same value in another key order as the same request', async () => {
    const key = randomUUID();
    const op = effect();
    await runIdempotent(context(key, { title: 'A', location: { type: 'online', url: 'https://x.test' } }), op);
    const again = await runIdempotent(context(key, { location: { url: 'https://x.test', type: 'online' }, title: 'A' }), op);
    expect(again.headers[REPLAY_HEADER]).toBe('true');
    expect(op.calls).toBe(1);
  });

  it('replays a 204 with no body', async () => {
    const key = randomUUID();
    const op = async (): Promise<OperationResult> => ({ status: 204, body: null, headers: {} });
    const first = await runIdempotent(context(key, null, { method: 'DELETE', operation: 'DELETE /api/things/[id]', params: { id: 'x' } }), op);
    const again = await runIdempotent(context(key, null, { method: 'DELETE', operation: 'DELETE /api/things/[id]', params: { id: 'x' } }), op);
    expect([first.status, again.status]).toEqual([204, 204]);
    expect(again.body).toBeNull();
    expect(again.headers[REPLAY_HEADER]).toBe('true');
  });
});

describe('runIdempotent: concurrent duplicates', () => {
  async function race(calls: number, racingDb: Database, separateConnections: boolean) {
    const key = randomUUID();
    let executions = 0;
    const op = async (tx: Tx, record: ClaimedRecord): Promise<OperationResult> => {
      executions++;
      // Slow enough that the other calls claim while this one holds the record.
      await tx.execute(sql`select pg_sleep(0.3)`);
      await tx.insert(itEffects).values({ key: record.id, label: 'concurrent' });
      return { status: 201, body: { success: true, data: { n: 1 } }, headers: {} };
    };
    const watch = watchOutcomes(key);
    const results = await Promise.all(
      Array.from({ length: calls }, () => runIdempotent(context(key, { title: 'Race' }, { db: racingDb }), op)),
    );
    watch.stop();

    expect(executions).toBe(1);
    const stored = results.filter((r) => r.headers[STORED_HEADER] === 'true');
    const replayed = results.filter((r) => r.headers[REPLAY_HEADER] === 'true');
    const inProgress = results.filter((r) => r.status === 409);
    expect(stored).toHaveLength(1);
    expect(stored.length + replayed.length + inProgress.length).toBe(calls);
    for (const r of replayed) expect(r).toMatchObject({ status: 201, body: stored[0]?.body });
    for (const r of inProgress) {
      expect(errorCode(r)).toBe('REQUEST_IN_PROGRESS');
      expect(Number(r.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    }
    // On separate connections the others read the record while the holder
    // sleeps in its transaction; through one connection their reads queue
    // behind that transaction and find it completed.
    if (separateConnections) expect(inProgress.length).toBeGreaterThan(0);
    else expect(replayed).toHaveLength(calls - 1);
    expect(watch.outcomes.filter((o) => o === 'stored')).toHaveLength(1);
    expect(watch.outcomes).toHaveLength(calls);

    const [{ count } = { count: -1 }] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    expect(count).toBe(1);
    expect(await effectRows((await recordFor(key)).id)).toHaveLength(1);
  }

  // The embedded database (PGlite behind pglite-socket 0.2.17) interleaves the
  // extended-protocol messages of concurrent connections on its one session
  // (electric-sql/pglite#1046): parallel connections there fail with "bind
  // message supplies N parameters". So there the race runs through one connection.
  it('runs the operation once for 50 concurrent calls with one key; the rest get 409 or the replay', async () => {
    await race(50, kind === 'postgres' ? db : singleConnectionDb, kind === 'postgres');
  });

  it('never needs a second connection while it holds its transaction (20 concurrent calls through a pool of one)', async () => {
    await race(20, singleConnectionDb, false);
  });
});

describe('runIdempotent: same key, another request', () => {
  it('answers 422 IDEMPOTENCY_KEY_REUSED naming the differing fields as JSON Pointers, and runs nothing', async () => {
    const key = randomUUID();
    const op = effect();
    await runIdempotent(context(key, { title: 'First', location: { type: 'online', url: 'https://a.test' }, max: 10 }), op);
    const reused = await runIdempotent(
      context(key, { title: 'Second', location: { type: 'online', url: 'https://b.test' }, max: 10, extra: true }),
      op,
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({
      success: false,
      error: { code: 'IDEMPOTENCY_KEY_REUSED', details: { differingFields: ['/extra', '/location/url', '/title'] } },
    });
    expect(op.calls).toBe(1);
    expect(await effectRows((await recordFor(key)).id)).toHaveLength(1);
  });

  it('answers 422 naming the path parameter when only the params differ', async () => {
    const key = randomUUID();
    const route = 'PATCH /api/things/[id]';
    const op = effect();
    await runIdempotent(context(key, { title: 'T' }, { operation: route, method: 'PATCH', params: { id: 'one' } }), op);
    const reused = await runIdempotent(context(key, { title: 'T' }, { operation: route, method: 'PATCH', params: { id: 'two' } }), op);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: { details: { differingFields: [], differingParams: ['id'] } } });
    expect(op.calls).toBe(1);
  });
});

describe('runIdempotent: failure', () => {
  const failures: [string, (tx: Tx, record: ClaimedRecord) => Promise<OperationResult>, number][] = [
    [
      'throws',
      async (tx, record) => {
        await tx.insert(itEffects).values({ key: record.id, label: 'doomed' });
        throw new Error('boom');
      },
      500,
    ],
    [
      'throws an AppError',
      async (tx, record) => {
        await tx.insert(itEffects).values({ key: record.id, label: 'doomed' });
        throw new AppError('VERSION_CONFLICT');
      },
      412,
    ],
    [
      'answers a status of 400 or more',
      async (tx, record) => {
        await tx.insert(itEffects).values({ key: record.id, label: 'doomed' });
        return { status: 409, body: { success: false, error: { code: 'EVENT_NOT_DRAFT' } }, headers: {} };
      },
      409,
    ],
  ];

  it.each(failures)('an operation that %s leaves no effect, the record failed, and the key free to run again', async (_, failing, status) => {
    const key = randomUUID();
    const watch = watchOutcomes(key);
    const attempt = runIdempotent(context(key, { title: 'Fails once' }), failing);
    if (status === 500) await expect(attempt).rejects.toThrow('boom');
    else expect((await attempt).status).toBe(status);

    const failed = await recordFor(key);
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, lockedUntil: null });
    expect(await effectRows(failed.id)).toHaveLength(0);

    const op = effect();
    const retry = await runIdempotent(context(key, { title: 'Fails once' }), op);
    expect(retry.status).toBe(201);
    expect(retry.headers[STORED_HEADER]).toBe('true');
    expect(op.calls).toBe(1);
    const completed = await recordFor(key);
    expect(completed).toMatchObject({ status: 'completed', attempt: 2 });
    expect((await effectRows(completed.id)).map((r) => r.label)).toEqual(['created']);
    watch.stop();
    expect(watch.outcomes).toEqual(['failed', 'stored']);
  });

  it('answers 422 to a retry of a failed key with another body', async () => {
    const key = randomUUID();
    await runIdempotent(context(key, { title: 'A' }), async () => {
      throw new AppError('NOT_FOUND');
    });
    const op = effect();
    const other = await runIdempotent(context(key, { title: 'B' }), op);
    expect(other.status).toBe(422);
    expect(op.calls).toBe(0);
  });
});

describe('runIdempotent: one transaction per first execution', () => {
  it('writes the record once, completed, in the transaction of the effect', async () => {
    const key = randomUUID();
    const op = effect();
    const first = await runIdempotent(context(key, { title: 'One commit' }), op);
    expect(first.status).toBe(201);
    const record = await recordFor(key);
    expect(record).toMatchObject({ status: 'completed', attempt: 1, previousStatus: null, lockedUntil: null });
    // One transaction wrote both rows, and the record was never updated after its insert.
    const [row] = (
      await db.execute<{ same_transaction: boolean; updated_in_place: boolean }>(sql`
        select k.xmin::text = e.xmin::text as same_transaction, k.ctid <> (select min(ctid) from idempotency_keys where id = k.id) as updated_in_place
        from idempotency_keys k join it_effects e on e.key = k.id where k.id = ${record.id}`)
    ).rows;
    expect(row).toEqual({ same_transaction: true, updated_in_place: false });
  });

  // Postgres only: on PGlite's one session the duplicate's statements would wait for the open first execution to end.
  it.runIf(kind === 'postgres')('shows no record while the first execution runs, and answers 409 to a duplicate meanwhile', async () => {
    const key = randomUUID();
    const body = { title: 'Invisible' };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const holder = runIdempotent(context(key, body), async (tx, record) => {
      await tx.insert(itEffects).values({ key: record.id, label: 'holder' });
      entered();
      await gate;
      return { status: 201, body: { success: true, data: { label: 'holder' } }, headers: {} };
    });
    await inside;
    const rows = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(rows).toEqual([]);
    const op = effect('duplicate');
    const duplicate = await runIdempotent(context(key, body), op);
    expect(duplicate.status).toBe(409);
    expect(errorCode(duplicate)).toBe('REQUEST_IN_PROGRESS');
    expect(duplicate.headers['Retry-After']).toBe('1');
    expect(op.calls).toBe(0);
    release();
    expect((await holder).status).toBe(201);
    const replay = await runIdempotent(context(key, body), op);
    expect(replay.headers[REPLAY_HEADER]).toBe('true');
    expect(op.calls).toBe(0);
  });

  // Postgres only: PGlite has one session for every connection, so terminating the holder's would end everyone's.
  it.runIf(kind === 'postgres')(
    "frees the key as soon as a killed holder's connection is gone: no lease to wait out, and no effect of the holder survives",
    async () => {
      const key = randomUUID();
      const body = { title: 'Killed' };
      // The holder runs on a pool of its own, whose connection is terminated mid-operation as kill -9 of its process would.
      const holderPool = createPool(databaseUrl(), 1);
      holderPool.on('error', () => {});
      const holderDb: Database = createDatabase(holderPool);
      let pid = 0;
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const holder = runIdempotent(context(key, body, { db: holderDb }), async (tx, record) => {
        await tx.insert(itEffects).values({ key: record.id, label: 'killed' });
        pid = Number((await tx.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`)).rows[0]?.pid);
        entered();
        await tx.execute(sql`select pg_sleep(30)`);
        return { status: 201, body: { success: true, data: { label: 'killed' } }, headers: {} };
      });
      await inside;
      const during = await runIdempotent(context(key, body), effect('during'));
      expect(during.status).toBe(409);

      await db.execute(sql`select pg_terminate_backend(${pid})`);
      await expect(holder).rejects.toThrow();
      await holderPool.end().catch(() => {});

      const op = effect('successor');
      const after = await runIdempotent(context(key, body), op);
      expect(after.status).toBe(201);
      expect(after.headers[STORED_HEADER]).toBe('true');
      const record = await recordFor(key);
      expect((await effectRows(record.id)).map((r) => r.label)).toEqual(['successor']);
      const all = await db.select().from(itEffects).where(inArray(itEffects.label, ['killed', 'during']));
      expect(all).toEqual([]);
    },
  );
});

// The lease path: operations that wait on an outside service claim the key in
// a commit of their own first (route().idempotent({ leased: true })).
describe('runIdempotent: crash, lease and fencing', () => {
  it('answers 409 with Retry-After while a dead holder\'s lease runs, and takes the record over once it lapses', async () => {
    const key = randomUUID();
    const body = { title: 'Orphan' };
    // A process that claimed and died: the record stays in_progress with a lease.
    const dead = await claim(db, {
      principal: user(userId),
      route: ROUTE,
      key,
      requestHash: requestFingerprint({ method: 'POST', route: ROUTE, params: {}, body }),
      requestBody: { params: {}, body },
      leaseSeconds: 3,
      confirming: false,
    });
    expect(dead).toMatchObject({ attempt: 1, previousStatus: null });

    const watch = watchOutcomes(key);
    const op = effect();
    const during = await runIdempotent(context(key, body), op);
    expect(during.status).toBe(409);
    expect(errorCode(during)).toBe('REQUEST_IN_PROGRESS');
    const retryAfter = Number(during.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThanOrEqual(2);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(op.calls).toBe(0);

    await db.update(idempotencyKeys).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(idempotencyKeys.id, dead?.id ?? ''));
    const after = await runIdempotent(context(key, body), op);
    expect(after.status).toBe(201);
    expect(after.headers[STORED_HEADER]).toBe('true');
    expect(op.calls).toBe(1);
    expect(await recordFor(key)).toMatchObject({ status: 'completed', attempt: 2, previousStatus: 'in_progress' });
    watch.stop();
    expect(watch.outcomes).toEqual(['in_progress', 'taken_over']);
  });

  it('fences a holder that stalled between claim and transaction: its late work rolls back and it answers 409', async () => {
    const key = randomUUID();
    const body = { title: 'Stalled' };
    // Every call pauses 3 s after its claim; the first one's lease is 1 s.
    vi.stubEnv('ENABLE_FAULT_INJECTION', '1');
    vi.stubEnv('FAULT_DELAY_AFTER_CLAIM_MS', '3000');
    const watch = watchOutcomes(key);
    const labels: string[] = [];
    const op = (label: string) => async (tx: Tx, record: ClaimedRecord): Promise<OperationResult> => {
      labels.push(`${label}:${record.attempt}`);
      await tx.insert(itEffects).values({ key: record.id, label });
      return { status: 201, body: { success: true, data: { label } }, headers: {} };
    };
    const stalled = runIdempotent(context(key, body, { leased: true, leaseSeconds: 1 }), op('stalled'));
    // The successor comes once the lease has lapsed by the database's clock (not a fixed sleep: a loaded machine may claim late).
    await untilLeaseLapsed(key);
    const successor = runIdempotent(context(key, body, { leased: true }), op('successor'));
    const [late, winner] = await Promise.all([stalled, successor]);

    expect(late.status).toBe(409);
    expect(errorCode(late)).toBe('REQUEST_IN_PROGRESS');
    expect(winner.status).toBe(201);
    expect(winner.body).toMatchObject({ data: { label: 'successor' } });
    // The stalled holder did run its operation, and its effect was rolled back.
    expect(labels.sort()).toEqual(['stalled:1', 'successor:2']);
    const record = await recordFor(key);
    expect(record).toMatchObject({ status: 'completed', attempt: 2 });
    expect((await effectRows(record.id)).map((r) => r.label)).toEqual(['successor']);
    watch.stop();
    expect(watch.outcomes.sort()).toEqual(['in_progress', 'taken_over']);
  });

  // On PGlite one session serves every connection and a second one cannot run a
  // statement while a transaction is open, so a takeover mid-transaction
  // cannot happen there (the previous test covers the window it does have).
  it.runIf(kind === 'postgres')(
    'rolls back a holder whose lease lapsed mid-transaction once a successor took over',
    async () => {
      const key = randomUUID();
      const body = { title: 'Slow' };
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const slow = runIdempotent(context(key, body, { leased: true, leaseSeconds: 1 }), async (tx, record) => {
        await tx.insert(itEffects).values({ key: record.id, label: 'slow' });
        entered();
        await gate;
        return { status: 201, body: { success: true, data: { label: 'slow' } }, headers: {} };
      });
      await inside;
      await untilLeaseLapsed(key);
      const op = effect('successor');
      const successor = await runIdempotent(context(key, body, { leased: true }), op);
      expect(successor.status).toBe(201);
      expect(successor.headers[STORED_HEADER]).toBe('true');
      release();
      const late = await slow;
      expect(late.status).toBe(409);
      expect(errorCode(late)).toBe('REQUEST_IN_PROGRESS');
      const record = await recordFor(key);
      expect(record).toMatchObject({ status: 'completed', attempt: 2 });
      expect((await effectRows(record.id)).map((r) => r.label)).toEqual(['successor']);
      // A replay now answers the successor's response.
      const replay = await runIdempotent(context(key, body), op);
      expect(replay.body).toEqual(successor.body);
      expect(op.calls).toBe(1);
    },
  );
});

describe('runIdempotent: the confirmation step', () => {
  const details = { creditsRequired: 1, balance: 3, planLimit: 30, requested: 200 };
  function creditOp() {
    const run = async (tx: Tx, record: ClaimedRecord): Promise<OperationResult> => {
      run.calls++;
      await tx.insert(itEffects).values({ key: record.id, label: record.confirming ? 'charged' : 'unconfirmed' });
      if (!record.confirming) throw new AppError('CREDIT_CONFIRMATION_REQUIRED', { details });
      return { status: 201, body: { success: true, data: { charged: true } }, headers: { Location: '/api/things/1' } };
    };
    run.calls = 0;
    return run;
  }

  it('leaves the record awaiting confirmation, replays the 402 until confirmed, then runs once', async () => {
    const key = randomUUID();
    const body = { title: 'Big', max: 200 };
    const op = creditOp();
    const watch = watchOutcomes(key);

    const ask = await runIdempotent(context(key, body), op);
    expect(ask.status).toBe(402);
    expect(ask.body).toMatchObject({ error: { code: 'CREDIT_CONFIRMATION_REQUIRED', details } });
    expect(ask.headers[STORED_HEADER]).toBe('true');
    const awaiting = await recordFor(key);
    expect(awaiting).toMatchObject({ status: 'awaiting_confirmation', responseStatus: 402 });
    expect(await effectRows(awaiting.id)).toHaveLength(0);

    const repeat = await runIdempotent(context(key, body), op);
    expect(repeat.status).toBe(402);
    expect(repeat.body).toEqual(ask.body);
    expect(repeat.headers[REPLAY_HEADER]).toBe('true');
    expect(op.calls).toBe(1);

    const otherBody = await runIdempotent(context(key, { ...body, max: 300 }, { confirming: true }), op);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({ error: { details: { differingFields: ['/max'] } } });
    expect(op.calls).toBe(1);

    const confirmed = await runIdempotent(context(key, body, { confirming: true }), op);
    expect(confirmed.status).toBe(201);
    expect(confirmed.headers[STORED_HEADER]).toBe('true');
    expect(op.calls).toBe(2);
    const done = await recordFor(key);
    expect(done).toMatchObject({ status: 'completed', attempt: 2 });
    expect((await effectRows(done.id)).map((r) => r.label)).toEqual(['charged']);

    // After completion, confirming or not, it is a replay.
    const late = await runIdempotent(context(key, body, { confirming: true }), op);
    expect(late.headers[REPLAY_HEADER]).toBe('true');
    expect(op.calls).toBe(2);
    watch.stop();
    expect(watch.outcomes).toEqual(['awaiting_confirmation', 'replayed', 'mismatch', 'stored', 'replayed']);
  });
});

describe('runIdempotent: scope', () => {
  it('keeps the same key from another user, or on another route, as a separate record', async () => {
    const key = randomUUID();
    const op = effect();
    const mine = await runIdempotent(context(key, { title: 'Mine' }), op);
    const theirs = await runIdempotent(context(key, { title: 'Theirs' }, { principal: user(otherUserId) }), op);
    const otherRoute = await runIdempotent(context(key, { title: 'Mine' }, { operation: 'POST /api/other-things' }), op);
    for (const r of [mine, theirs, otherRoute]) expect(r.headers[STORED_HEADER]).toBe('true');
    expect(op.calls).toBe(3);
    const ids = new Set([
      (await recordFor(key)).id,
      (await recordFor(key, otherUserId)).id,
      (await recordFor(key, userId, 'POST /api/other-things')).id,
    ]);
    expect(ids.size).toBe(3);
  });
});

describe('runIdempotent: retention and purge', () => {
  it('purges exactly the expired records, in batches, and leaves the others', async () => {
    const keys = Array.from({ length: 7 }, () => randomUUID());
    for (const key of keys) await runIdempotent(context(key, { title: key }), effect());
    const expired = keys.slice(0, 5);
    const kept = keys.slice(5);
    await db
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(and(eq(idempotencyKeys.userId, userId), inArray(idempotencyKeys.key, expired)));

    const removed = await purgeExpired(db, 2);
    // Other test files may leave expired records of their own; ours must all be among them.
    expect(removed).toBeGreaterThanOrEqual(expired.length);
    const left = await db
      .select({ key: idempotencyKeys.key })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), inArray(idempotencyKeys.key, keys)));
    expect(left.map((r) => r.key).sort()).toEqual([...kept].sort());
    expect(await purgeExpired(db)).toBe(0);
  });

  it('sets expiry to 7 days after completion and 1 day after a failure or a confirmation request', async () => {
    const completedKey = randomUUID();
    const failedKey = randomUUID();
    await runIdempotent(context(completedKey, {}), effect());
    await runIdempotent(context(failedKey, {}), async () => {
      throw new AppError('NOT_FOUND');
    });
    const ages = await db
      .select({
        key: idempotencyKeys.key,
        days: sql<number>`round(extract(epoch from (${idempotencyKeys.expiresAt} - coalesce(${idempotencyKeys.completedAt}, ${idempotencyKeys.updatedAt}))) / 86400)::int`,
      })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, userId), inArray(idempotencyKeys.key, [completedKey, failedKey])));
    expect(Object.fromEntries(ages.map((a) => [a.key, a.days]))).toEqual({ [completedKey]: 7, [failedKey]: 1 });
  });

  it('runs the operation anew for an expired key, even with another body', async () => {
    const key = randomUUID();
    const op = effect();
    await runIdempotent(context(key, { title: 'Old' }), op);
    const old = await recordFor(key);
    await db
      .update(idempotencyKeys)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    const fresh = await runIdempotent(context(key, { title: 'New' }), op);
    expect(fresh.status).toBe(201);
    expect(fresh.headers[STORED_HEADER]).toBe('true');
    expect(op.calls).toBe(2);
    const record = await recordFor(key);
    expect(record).toMatchObject({ status: 'completed', requestBody: { params: {}, body: { title: 'New' } } });
    // A new record, not the old one reused: what linked to the old id (a charge) stays the old request's.
    expect(record.id).not.toBe(old.id);
  });
});

describe('runIdempotent: stored body limit', () => {
  it('answers the first call in full but replays 409 IDEMPOTENCY_RESPONSE_NOT_STORED for a response over 64 KiB', async () => {
    const key = randomUUID();
    const big = 'x'.repeat(STORED_BODY_LIMIT_BYTES);
    let calls = 0;
    const op = async (): Promise<OperationResult> => {
      calls++;
      return { status: 200, body: { success: true, data: { big } }, headers: {} };
    };
    const first = await runIdempotent(context(key, {}), op);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ success: true, data: { big } });
    expect(first.headers[STORED_HEADER]).toBe('true');
    const record = await recordFor(key);
    expect(record).toMatchObject({ status: 'completed', responseStored: false, responseBody: null });

    const replay = await runIdempotent(context(key, {}), op);
    expect(replay.status).toBe(409);
    expect(errorCode(replay)).toBe('IDEMPOTENCY_RESPONSE_NOT_STORED');
    expect(replay.headers[REPLAY_HEADER]).toBe('true');
    expect(calls).toBe(1);
  });

  it('stores and replays a response just under the limit', async () => {
    const key = randomUUID();
    const envelope = JSON.stringify({ success: true, data: { big: '' } }).length;
    const body = { success: true, data: { big: 'y'.repeat(STORED_BODY_LIMIT_BYTES - envelope) } };
    expect(Buffer.byteLength(JSON.stringify(body))).toBe(STORED_BODY_LIMIT_BYTES);
    const op = async (): Promise<OperationResult> => ({ status: 200, body, headers: {} });
    await runIdempotent(context(key, {}), op);
    const replay = await runIdempotent(context(key, {}), op);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(body);
  });
});

describe('runIdempotent: observability', () => {
  it('logs one structured line per request with route, key, outcome, status and duration', async () => {
    const key = randomUUID();
    vi.stubEnv('LOG_LEVEL', 'info');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    let printed: unknown[][] = [];
    try {
      await runIdempotent(context(key, { title: 'Logged' }), effect());
      await runIdempotent(context(key, { title: 'Logged' }), effect());
      await runIdempotent(context(key, { title: 'Changed' }), effect());
    } finally {
      printed = [...log.mock.calls];
      log.mockRestore();
    }
    const lines = printed
      .map(([line]) => JSON.parse(String(line)) as Record<string, unknown>)
      .filter((line) => line.msg === 'idempotency' && line.key === key);
    expect(lines.map((l) => l.outcome)).toEqual(['stored', 'replayed', 'mismatch']);
    expect(lines.map((l) => l.status)).toEqual([201, 201, 422]);
    for (const line of lines) {
      expect(line).toMatchObject({ level: 'info', route: ROUTE, key });
      expect(typeof line.durationMs).toBe('number');
      expect(line).not.toHaveProperty('started');
    }
  });
});

describe('withIdempotency: the layer itself, with any principal', () => {
  const completed = (label: string) => async (tx: Tx, record: ClaimedRecord) => {
    await tx.insert(itEffects).values({ key: record.id, label });
    return { kind: 'completed' as const, response: { status: 201, body: { label }, headers: { Location: '/x', 'X-Other': '1' } } };
  };
  const request = (principal: Principal, key: string, body: unknown) => ({
    principal,
    operation: 'POST /api/public/things',
    method: 'POST',
    key,
    params: {},
    body,
    confirming: false,
  });

  it('reports what it did as plain values: executed, replayed (stored headers only), mismatch', async () => {
    const key = randomUUID();
    const guest: Principal = { kind: 'guest', guestId: randomUUID() };
    const first = await withIdempotency(request(guest, key, { a: 1 }), completed('guest'));
    expect(first).toEqual({ kind: 'executed', outcome: 'completed', response: { status: 201, body: { label: 'guest' }, headers: { Location: '/x', 'X-Other': '1' } } });
    const again = await withIdempotency(request(guest, key, { a: 1 }), completed('guest'));
    expect(again).toEqual({ kind: 'replayed', response: { status: 201, body: { label: 'guest' }, headers: { Location: '/x' } } });
    const other = await withIdempotency(request(guest, key, { a: 2 }), completed('guest'));
    expect(other).toEqual({ kind: 'mismatch', differingFields: ['/a'], differingParams: [] });
  });

  it('keeps guests, anonymous callers and users in separate scopes for the same key', async () => {
    const key = randomUUID();
    const principals: Principal[] = [
      { kind: 'guest', guestId: randomUUID() },
      { kind: 'guest', guestId: randomUUID() },
      { kind: 'anonymous' },
      user(userId),
    ];
    const results = [];
    for (const principal of principals) results.push(await withIdempotency(request(principal, key, { a: 1 }), completed('scoped')));
    expect(results.map((r) => r.kind)).toEqual(['executed', 'executed', 'executed', 'executed']);
    const rows = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(rows.map((r) => r.principal).sort()).toEqual(
      ['anonymous', `user:${userId}`, ...principals.slice(0, 2).map((p) => (p.kind === 'guest' ? `guest:${p.guestId}` : ''))].sort(),
    );
    expect(rows.filter((r) => r.userId !== null).map((r) => r.userId)).toEqual([userId]);
  });

  it('parks the record when the operation says it awaits confirmation, and replays that answer', async () => {
    const key = randomUUID();
    const parked = async (tx: Tx, record: ClaimedRecord) => {
      await tx.insert(itEffects).values({ key: record.id, label: 'parked' });
      return { kind: 'awaiting_confirmation' as const, response: { status: 402, body: { ask: true }, headers: {} } };
    };
    const first = await withIdempotency(request({ kind: 'anonymous' }, key, {}), parked);
    expect(first).toMatchObject({ kind: 'executed', outcome: 'awaiting_confirmation' });
    const [record] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key));
    expect(record?.status).toBe('awaiting_confirmation');
    expect(await effectRows(record?.id ?? '')).toHaveLength(0);
    expect(await withIdempotency(request({ kind: 'anonymous' }, key, {}), parked)).toEqual({
      kind: 'replayed',
      response: { status: 402, body: { ask: true }, headers: {} },
    });
  });
});

describe('runIdempotent: replays from the process cache', () => {
  it('answers a replay without the database, exactly as the database would', async () => {
    const key = randomUUID();
    const op = effect();
    const first = await runIdempotent(context(key, { title: 'Cached' }), op);
    expect(first.headers[STORED_HEADER]).toBe('true');

    // A pool that is closed cannot answer anything: the replay comes from memory.
    const closedPool = createPool(databaseUrl(), 1);
    await closedPool.end();
    const fromCache = await runIdempotent(context(key, { title: 'Cached' }, { db: drizzle(closedPool, { schema }) }), op);

    clearReplayCache();
    const fromDatabase = await runIdempotent(context(key, { title: 'Cached' }), op);
    expect(fromCache).toEqual(fromDatabase);
    expect(fromCache.headers[REPLAY_HEADER]).toBe('true');
    expect(fromCache.headers.Location).toBe(first.headers.Location);
    expect(op.calls).toBe(1);
  });

  it('sends another body, and a record that is not completed, to the database', async () => {
    const key = randomUUID();
    await runIdempotent(context(key, { title: 'One' }), effect());
    const other = await runIdempotent(context(key, { title: 'Two' }), effect());
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED', details: { differingFields: ['/title'] } } });

    // Awaiting confirmation is not final: the confirming request must still reach the record.
    const parkedKey = randomUUID();
    const details = { creditsRequired: 1, balance: 3, planLimit: 30, requested: 200 };
    const op = async (tx: Tx, record: ClaimedRecord): Promise<OperationResult> => {
      if (!record.confirming) throw new AppError('CREDIT_CONFIRMATION_REQUIRED', { details });
      await tx.insert(itEffects).values({ key: record.id, label: 'confirmed' });
      return { status: 201, body: { success: true, data: {} }, headers: {} };
    };
    expect((await runIdempotent(context(parkedKey, { max: 200 }), op)).status).toBe(402);
    expect((await runIdempotent(context(parkedKey, { max: 200 }), op)).status).toBe(402);
    const confirmed = await runIdempotent(context(parkedKey, { max: 200 }, { confirming: true }), op);
    expect(confirmed.status).toBe(201);
    expect(confirmed.headers[STORED_HEADER]).toBe('true');
  });
});
