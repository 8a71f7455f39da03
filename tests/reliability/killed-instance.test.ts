// A killed instance: kill -9 while it holds the lease (fault injection pauses
// it after the claim); retries on the other instance get 409 until the lease
// lapses, then the operation runs exactly once, and no credit is spent twice.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantCredits } from '@/lib/billing/credits';
import { creditAccounts, creditLedger, events, idempotencyKeys } from '@/lib/db/schema';
import { errorCode, eventBody, eventIdOf, request, signUp, sleep, type ApiResponse } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { METRICS_TOKEN, startScenario, type Scenario } from './harness/scenario';

const LEASE_SECONDS = 2;

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
    const lease = { IDEMPOTENCY_LEASE_SECONDS: String(LEASE_SECONDS) };
    scenario = await startScenario('kill', {
      instances: [
        // Only this instance pauses after its claim, long enough to be killed holding the lease.
        { name: 'doomed', env: { ...lease, ENABLE_FAULT_INJECTION: '1', FAULT_DELAY_AFTER_CLAIM_MS: '60000' } },
        { name: 'survivor', env: lease },
      ],
    });
  });
  afterAll(async () => scenario?.close());

  it('409 until the lease lapses, then exactly one event per key and one credit spent', async () => {
    const [doomed, survivor] = scenario.instances;
    if (!doomed || !survivor) throw new Error('two instances expected');
    const db = scenario.database.db;
    const organiser = await signUp(survivor.url, 'Crash');
    await grantCredits(db, { userId: organiser.id, amount: 3, reason: 'test_grant' });
    // Warm the survivor's routes, so its first retry answers well inside the 2 s lease.
    const warm = await signUp(survivor.url, 'Warm');
    expect((await request(survivor.url, 'POST', '/api/events', { cookie: warm.cookie, key: randomUUID(), body: eventBody() })).status).toBe(201);

    const plain = { key: randomUUID(), body: eventBody({ title: 'Plain' }), path: '/api/events' };
    const upgraded = { key: randomUUID(), body: eventBody({ title: 'Upgraded', maxParticipants: 500 }), path: '/api/events?confirm_credit=1' };
    const ops = [plain, upgraded];

    // Both operations reach the doomed instance, claim, and pause.
    const inFlight = ops.map((op) =>
      request(doomed.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body, timeoutMs: 90_000 }).catch(
        (error: unknown) => error,
      ),
    );
    const keys = ops.map((op) => op.key);
    for (let waited = 0; ; waited += 25) {
      const claimed = await db
        .select({ key: idempotencyKeys.key })
        .from(idempotencyKeys)
        .where(and(inArray(idempotencyKeys.key, keys), eq(idempotencyKeys.status, 'in_progress')));
      if (claimed.length === ops.length) break;
      if (waited > 20_000) throw new Error('the doomed instance never claimed');
      await sleep(25);
    }
    await doomed.kill9();
    // The clients of the dead instance see their connection drop, not an answer.
    for (const outcome of await Promise.all(inFlight)) expect(outcome).toBeInstanceOf(Error);

    // Retries on the survivor: 409 with Retry-After while the lease runs, then the operation.
    const answers = new Map<string, ApiResponse[]>(keys.map((k) => [k, []]));
    let scrapedStuck = false;
    const deadline = Date.now() + 20_000;
    for (const op of ops) {
      for (;;) {
        if (Date.now() > deadline) throw new Error('retries did not succeed in time');
        const res = await request(survivor.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body });
        answers.get(op.key)!.push(res);
        if (res.status !== 409) break;
        expect(errorCode(res)).toBe('REQUEST_IN_PROGRESS');
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(LEASE_SECONDS);
        await sleep(retryAfter * 1000 + 100);
        if (!scrapedStuck) {
          // Past the lease, before any takeover: the gauge sees both records stuck.
          const stuck = await db
            .select({ key: idempotencyKeys.key })
            .from(idempotencyKeys)
            .where(and(eq(idempotencyKeys.status, 'in_progress'), lt(idempotencyKeys.lockedUntil, new Date())));
          if (stuck.length === 2) {
            expect(await scrapeValue(survivor.url, 'event_app_idempotency_stuck_in_progress')).toBe(2);
            scrapedStuck = true;
          }
        }
      }
    }
    expect(scrapedStuck).toBe(true);
    // The first retry came while the dead instance's lease still held.
    expect(answers.get(plain.key)![0]!.status).toBe(409);
    for (const key of keys) expect(answers.get(key)!.at(-1)!.status).toBe(201);
    const upgradedAnswer = answers.get(upgraded.key)!.at(-1)!.json as { data: { credit: { charged: boolean; balance: number } } };
    expect(upgradedAnswer.data.credit).toEqual({ charged: true, balance: 2 });

    // Exactly one event per key, the ones the answers name; the takeover is on record.
    const ids = keys.map((key) => eventIdOf(answers.get(key)!.at(-1)!));
    const rows = await db.select({ id: events.id }).from(events).where(eq(events.ownerId, organiser.id));
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const records = await db
      .select({ status: idempotencyKeys.status, attempt: idempotencyKeys.attempt })
      .from(idempotencyKeys)
      .where(inArray(idempotencyKeys.key, keys));
    expect(records).toEqual([
      { status: 'completed', attempt: 2 },
      { status: 'completed', attempt: 2 },
    ]);
    expect(await scrapeValue(survivor.url, 'event_app_idempotency_stuck_in_progress')).toBe(0);
    expect(await scrapeValue(survivor.url, 'event_app_idempotency_outcomes_total{method="POST",route="/api/events",outcome="taken_over"}')).toBe(2);

    // Replays from the survivor keep naming the same events; one credit spent in all.
    for (const op of ops) {
      const replay = await request(survivor.url, 'POST', op.path, { cookie: organiser.cookie, key: op.key, body: op.body });
      expect(replay.headers.get('x-idempotency-replay')).toBe('true');
      expect(eventIdOf(replay)).toBe(eventIdOf(answers.get(op.key)!.at(-1)!));
    }
    const debits = await db.select({ id: creditLedger.id }).from(creditLedger).where(and(eq(creditLedger.userId, organiser.id), lt(creditLedger.delta, 0)));
    expect(debits).toHaveLength(1);
    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.userId, organiser.id));
    expect(account?.balance).toBe(2);
    expect(await checkInvariants(db)).toEqual(CLEAN);
  });
});
