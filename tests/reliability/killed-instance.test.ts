// A killed instance: kill -9 while it executes a first attempt (fault
// injection pauses it inside the operation's transaction, holding the key's
// advisory lock). Retries on the other instance get 409 while the dead
// instance's transaction lives, then run the operation at once (no lease to
// wait out): exactly one event per key, and no credit spent twice.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantCredits } from '@/lib/billing/credits';
import { creditAccounts, creditLedger, events, idempotencyKeys } from '@/lib/db/schema';
import { errorCode, eventBody, eventIdOf, request, signUp, sleep, type ApiResponse } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { METRICS_TOKEN, startScenario, type Scenario } from './harness/scenario';

async function scrapeValue(url: string, name: string): Promise<number> {
  const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('a killed instance', () => {
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await startScenario('kill', {
      instances: [
        // Only this instance pauses after taking the key, long enough to be killed inside its transaction.
        { name: 'doomed', env: { ENABLE_FAULT_INJECTION: '1', FAULT_DELAY_AFTER_CLAIM_MS: '60000' } },
        { name: 'survivor', env: {} },
      ],
    });
  });
  afterAll(async () => scenario?.close());

  it("409 while the dead instance's transaction lives, then at once exactly one event per key and one credit spent", async () => {
    const [doomed, survivor] = scenario.instances;
    if (!doomed || !survivor) throw new Error('two instances expected');
    const db = scenario.database.db;
    const organiser = await signUp(survivor.url, 'Crash');
    await grantCredits(db, { teamId: organiser.id, amount: 3, reason: 'test_grant' });
    // Warm the survivor's routes, so its retries answer quickly.
    const warm = await signUp(survivor.url, 'Warm');
    expect((await request(survivor.url, 'POST', '/api/events', { cookie: warm.cookie, key: randomUUID(), body: eventBody() })).status).toBe(201);

    const plain = { key: randomUUID(), body: eventBody({ title: 'Plain' }), path: '/api/events' };
    const upgraded = { key: randomUUID(), body: eventBody({ title: 'Upgraded', maxParticipants: 500 }), path: '/api/events?confirm_credit=1' };
    const ops = [plain, upgraded];
    const keys = ops.map((op) => op.key);

    // Both operations reach the doomed instance, take their keys' locks, and pause.
    const inFlight = ops.map((op) =>
      request(doomed.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body, timeoutMs: 90_000 }).catch(
        (error: unknown) => error,
      ),
    );
    const heldLocks = async () =>
      Number(
        (
          await db.execute<{ held: number }>(sql`
            select count(*)::int as held from pg_locks
            where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`)
        ).rows[0]?.held,
      );
    for (let waited = 0; (await heldLocks()) < ops.length; waited += 25) {
      if (waited > 20_000) throw new Error('the doomed instance never took its keys');
      await sleep(25);
    }
    // Nothing is on record while it works: the record is written with the effect.
    expect(await db.select().from(idempotencyKeys).where(inArray(idempotencyKeys.key, keys))).toEqual([]);

    // While the holder lives, a retry on the survivor is 409 and runs nothing.
    const during = await request(survivor.url, 'POST', plain.path, { cookie: organiser.cookie, key: plain.key, body: plain.body });
    expect(during.status).toBe(409);
    expect(errorCode(during)).toBe('REQUEST_IN_PROGRESS');
    expect(Number(during.headers.get('retry-after'))).toBe(1);

    await doomed.kill9();
    const killedAt = Date.now();
    // The clients of the dead instance see their connection drop, not an answer.
    for (const outcome of await Promise.all(inFlight)) expect(outcome).toBeInstanceOf(Error);

    // Retries on the survivor: 409 only until Postgres has ended the dead connection's transaction.
    const answers = new Map<string, ApiResponse[]>(keys.map((k) => [k, []]));
    const deadline = Date.now() + 20_000;
    for (const op of ops) {
      for (;;) {
        if (Date.now() > deadline) throw new Error('retries did not succeed in time');
        const res = await request(survivor.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body });
        answers.get(op.key)!.push(res);
        if (res.status !== 409) break;
        expect(errorCode(res)).toBe('REQUEST_IN_PROGRESS');
        await sleep(Number(res.headers.get('retry-after')) * 1000);
      }
    }
    // No lease to wait out: both keys were free well within the former 15 s lease.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    for (const key of keys) expect(answers.get(key)!.at(-1)!.status).toBe(201);
    const upgradedAnswer = answers.get(upgraded.key)!.at(-1)!.json as { data: { credit: { charged: boolean; balance: number } } };
    expect(upgradedAnswer.data.credit).toEqual({ charged: true, balance: 2 });

    // Exactly one event per key, the ones the answers name; each record written once, by the survivor.
    const ids = keys.map((key) => eventIdOf(answers.get(key)!.at(-1)!));
    const rows = await db.select({ id: events.id }).from(events).where(eq(events.teamId, organiser.id));
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const records = await db
      .select({ status: idempotencyKeys.status, attempt: idempotencyKeys.attempt, previousStatus: idempotencyKeys.previousStatus })
      .from(idempotencyKeys)
      .where(inArray(idempotencyKeys.key, keys));
    expect(records).toEqual([
      { status: 'completed', attempt: 1, previousStatus: null },
      { status: 'completed', attempt: 1, previousStatus: null },
    ]);
    expect(await scrapeValue(survivor.url, 'event_app_idempotency_stuck_in_progress')).toBe(0);

    // Replays from the survivor keep naming the same events; one credit spent in all.
    for (const op of ops) {
      const replay = await request(survivor.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body });
      expect(replay.headers.get('x-idempotency-replay')).toBe('true');
      expect(eventIdOf(replay)).toBe(eventIdOf(answers.get(op.key)!.at(-1)!));
    }
    const debits = await db.select({ id: creditLedger.id }).from(creditLedger).where(and(eq(creditLedger.teamId, organiser.id), lt(creditLedger.delta, 0)));
    expect(debits).toHaveLength(1);
    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.teamId, organiser.id));
    expect(account?.balance).toBe(2);
    expect(await checkInvariants(db)).toEqual(CLEAN);
  });
});
