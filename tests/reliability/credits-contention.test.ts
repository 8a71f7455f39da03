// Credits under contention: 100 confirmed creates, 100 keys, 10 credits,
// two instances at once: exactly 10 upgrades, balance 0, never below 0.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantCredits } from '@/lib/billing/credits';
import { creditAccounts, events, eventUpgrades } from '@/lib/db/schema';
import { errorCode, eventBody, isEnvelope, request, signUp, sleep } from './harness/client';
import { checkInvariants, CLEAN } from './harness/database';
import { pooled, startScenario, type Scenario } from './harness/scenario';

const CREDITS = 10;
const CREATES = 100;

describe('credits under contention', () => {
  let scenario: Scenario;

  beforeAll(async () => {
    scenario = await startScenario('credits', { instances: [{ name: 'a' }, { name: 'b' }] });
  });
  afterAll(async () => scenario?.close());

  it(`${CREATES} confirmed creates with ${CREDITS} credits over two instances: exactly ${CREDITS} upgraded events, balance 0`, async () => {
    const [a, b] = scenario.instances;
    if (!a || !b) throw new Error('two instances expected');
    const db = scenario.database.db;
    const organiser = await signUp(a.url, 'Spender');
    await grantCredits(db, { teamId: organiser.id, amount: CREDITS, reason: 'test_grant' });

    // Watch the balance while the load runs: it must never be seen below zero.
    const seen: number[] = [];
    let loading = true;
    const watcher = (async () => {
      while (loading) {
        const [row] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.teamId, organiser.id));
        if (row) seen.push(row.balance);
        await sleep(10);
      }
    })();
    const tasks = Array.from({ length: CREATES }, (_, i) => () =>
      request(i % 2 === 0 ? a.url : b.url, 'POST', '/api/events?confirm_credit=1', {
        cookie: organiser.cookie,
        key: randomUUID(),
        body: eventBody({ title: `Big ${i}`, maxParticipants: 800 }),
      }),
    );
    const results = await pooled(tasks, CREATES);
    loading = false;
    await watcher;

    for (const res of results) expect(isEnvelope(res)).toBe(true);
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(created).toHaveLength(CREDITS);
    expect(new Set(refused.map((r) => `${r.status} ${errorCode(r)}`))).toEqual(new Set(['402 INSUFFICIENT_CREDITS']));
    for (const res of created) {
      expect((res.json as { data: { credit: { charged: boolean } } }).data.credit.charged).toBe(true);
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);

    const [account] = await db.select({ balance: creditAccounts.balance }).from(creditAccounts).where(eq(creditAccounts.teamId, organiser.id));
    expect(account?.balance).toBe(0);
    const [upgrades] = await db.select({ n: count() }).from(eventUpgrades).where(eq(eventUpgrades.teamId, organiser.id));
    expect(upgrades?.n).toBe(CREDITS);
    // A refused create leaves no event behind.
    const [eventRows] = await db.select({ n: count() }).from(events).where(eq(events.teamId, organiser.id));
    expect(eventRows?.n).toBe(CREDITS);
    expect(await checkInvariants(db)).toEqual(CLEAN);
  });
});
