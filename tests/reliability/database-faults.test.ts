// Database faults in the middle of a load: the app's connections terminated
// (pg_terminate_backend), and Postgres stopped and started (on a throwaway
// cluster: the machine's server is shared). Requests answer 503
// SERVICE_UNAVAILABLE in the envelope with Retry-After, never 500 or HTML; the
// app recovers without a restart; afterwards every balance equals its ledger
// and every upgraded event has its ledger row.
import { randomUUID } from 'node:crypto';
import { count, eq, lt, and } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { grantCredits } from '@/lib/billing/credits';
import { findFreePort } from '@/lib/db/embedded';
import { creditLedger, events, eventUpgrades } from '@/lib/db/schema';
import { errorCode, eventBody, eventIdOf, isEnvelope, request, signUp, sleep, until, type ApiResponse, type Organiser } from './harness/client';
import { checkInvariants, CLEAN, throwawayCluster, type Cluster } from './harness/database';
import { APP_CONNECTION_NAME, startScenario, type Scenario } from './harness/scenario';
import { sql } from 'drizzle-orm';

type Op = { key: string; path: string; body: ReturnType<typeof eventBody>; answers: ApiResponse[]; errors: string[] };

const ALLOWED = new Set(['201 null', '402 INSUFFICIENT_CREDITS', '409 REQUEST_IN_PROGRESS', '503 SERVICE_UNAVAILABLE']);

/**
 * Workers send creates (every fourth a confirmed upgrade) with new keys until
 * `stop`; an op answered 503 or 409 is retried with its key, as the client
 * would, until it gets a final answer or the deadline passes.
 */
async function load(url: string, organiser: Organiser, stop: () => boolean, workers = 8, ops: Op[] = []): Promise<Op[]> {
  const hardDeadline = Date.now() + 60_000;
  const worker = async () => {
    while (!stop() && Date.now() < hardDeadline) {
      const upgrade = ops.length % 4 === 0;
      const op: Op = {
        key: randomUUID(),
        path: upgrade ? '/api/events?confirm_credit=1' : '/api/events',
        body: eventBody({ title: `Load ${ops.length}`, maxParticipants: upgrade ? 400 : 20 }),
        answers: [],
        errors: [],
      };
      ops.push(op);
      for (;;) {
        try {
          const res = await request(url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body, timeoutMs: 20_000 });
          op.answers.push(res);
          if (res.status !== 503 && res.status !== 409) break;
        } catch (error) {
          op.errors.push(String(error));
        }
        if (Date.now() > hardDeadline) break;
        await sleep(150);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return ops;
}

async function verify(scenario: Scenario, organiser: Organiser, ops: Op[]): Promise<void> {
  const all = ops.flatMap((op) => op.answers);
  expect(ops.flatMap((op) => op.errors)).toEqual([]);
  const unexpected = all.filter((res) => !ALLOWED.has(`${res.status} ${errorCode(res)}`) || !isEnvelope(res));
  expect(unexpected.map((r) => `${r.status} ${r.headers.get('content-type')} ${r.text.slice(0, 160)}`)).toEqual([]);
  const unavailable = all.filter((res) => res.status === 503);
  // The fault really hit requests: otherwise this scenario proves nothing.
  expect(unavailable.length).toBeGreaterThan(0);
  for (const res of unavailable) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

  // Every op ended with a final answer; each 201 names its own event.
  const finals = ops.map((op) => op.answers.at(-1));
  expect(finals.filter((res) => !res || (res.status !== 201 && res.status !== 402))).toEqual([]);
  const created = finals.filter((res): res is ApiResponse => res?.status === 201);
  const ids = created.map((res) => eventIdOf(res));
  expect(new Set(ids).size).toBe(created.length);
  const charged = created.filter((res) => (res.json as { data: { credit: { charged: boolean } } }).data.credit.charged).length;

  const db = scenario.database.db;
  const [eventRows] = await db.select({ n: count() }).from(events).where(eq(events.teamId, organiser.id));
  expect(eventRows?.n).toBe(created.length);
  const [upgrades] = await db.select({ n: count() }).from(eventUpgrades).where(eq(eventUpgrades.teamId, organiser.id));
  expect(upgrades?.n).toBe(charged);
  const [debits] = await db.select({ n: count() }).from(creditLedger).where(and(eq(creditLedger.teamId, organiser.id), lt(creditLedger.delta, 0)));
  expect(debits?.n).toBe(charged);
  expect(await checkInvariants(db)).toEqual(CLEAN);
}

/** A new create after the fault, retried until it succeeds; it joins the ops, since it writes an event too. */
async function recovered(url: string, organiser: Organiser, ops: Op[]): Promise<ApiResponse> {
  const op: Op = { key: randomUUID(), path: '/api/events', body: eventBody({ title: 'After the storm' }), answers: [], errors: [] };
  ops.push(op);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await request(url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body });
    op.answers.push(res);
    if (res.status === 201 || Date.now() > deadline) return res;
    await sleep(200);
  }
}

describe('database faults', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('pg_terminate_backend on the app’s connections mid-load: 503s in the envelope, then recovery without a restart', async () => {
    const scenario = await startScenario('terminate', { instances: [{ name: 'a', env: { IDEMPOTENCY_LEASE_SECONDS: '2' } }] });
    cleanups.push(scenario.close);
    const instance = scenario.instances[0]!;
    const organiser = await signUp(instance.url, 'Terminated');
    await grantCredits(scenario.database.db, { teamId: organiser.id, amount: 40, reason: 'test_grant' });

    let done = false;
    const running = load(instance.url, organiser, () => done);
    let terminated = 0;
    for (let round = 0; round < 6; round++) {
      await sleep(400);
      const killed = await scenario.database.db.execute<{ ok: boolean }>(sql`
        select pg_terminate_backend(pid) as ok from pg_stat_activity
        where datname = current_database() and application_name = ${APP_CONNECTION_NAME}`);
      terminated += killed.rows.filter((r) => r.ok).length;
    }
    await sleep(500);
    done = true;
    const ops = await running;
    expect(terminated).toBeGreaterThan(0);

    expect((await recovered(instance.url, organiser, ops)).status).toBe(201);
    expect(instance.exited()).toBe(false);
    await verify(scenario, organiser, ops);
  });

  it('Postgres stopped and started mid-load: 503s in the envelope while it is down, then recovery without a restart', async () => {
    const cluster: Cluster = await throwawayCluster(await findFreePort(54700, '127.0.0.1', 100));
    cleanups.push(() => cluster.destroy());
    const scenario = await startScenario('restart', {
      databaseServer: cluster.url,
      instances: [{ name: 'a', env: { IDEMPOTENCY_LEASE_SECONDS: '2', DATABASE_CONNECT_TIMEOUT_MS: '2000' } }],
    });
    cleanups.push(scenario.close);
    const instance = scenario.instances[0]!;
    const organiser = await signUp(instance.url, 'Restarted');
    await grantCredits(scenario.database.db, { teamId: organiser.id, amount: 40, reason: 'test_grant' });

    let done = false;
    const ops: Op[] = [];
    const running = load(instance.url, organiser, () => done, 8, ops);
    // Each phase lasts until the load has seen it (eight answers of its kind), not a fixed time.
    const answered = (status: number) => ops.reduce((n, op) => n + op.answers.filter((res) => res.status === status).length, 0);
    await until('the load under way', () => answered(201) >= 8, 30_000);
    await cluster.stop();
    const before = answered(503);
    await until('503s while Postgres is down', () => answered(503) >= before + 8, 30_000);
    await cluster.start();
    const created = answered(201);
    await until('creates again after the restart', () => answered(201) >= created + 8, 30_000);
    done = true;
    await running;

    expect((await recovered(instance.url, organiser, ops)).status).toBe(201);
    expect(instance.exited()).toBe(false);
    await verify(scenario, organiser, ops);
  });
});
