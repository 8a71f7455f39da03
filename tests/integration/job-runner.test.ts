// The one loop of every background job (lib/jobs/runner.ts), on a table of its
// own shaped like the outbox: claimed with FOR UPDATE SKIP LOCKED and a lease,
// marked fenced by the claim. Two runners share it and no item runs twice;
// a failed claim backs off and retries; a commit wakes the runner; the purge
// follows the injected clock; stop lets the items in flight finish first.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, setClock } from '@/lib/clock';
import { closeDb, getDb } from '@/lib/db/pool';
import { afterCommit } from '@/lib/db/transaction';
import { backoffMs } from '@/lib/jobs/backoff';
import type { Job } from '@/lib/jobs/job';
import { drainJob, failureBackoffMs, PURGE_EVERY_MS, startJob, type JobRunner } from '@/lib/jobs/runner';
import { jobWaker } from '@/lib/jobs/wake';

type Item = { id: number; attempts: number; claimedBy: string };

const runners: JobRunner[] = [];

beforeAll(async () => {
  await getDb().execute(sql`
    create table if not exists job_runner_items (
      id int primary key,
      status text not null default 'pending',
      attempts int not null default 0,
      claimed_by text,
      next_attempt_at timestamptz not null default now()
    )`);
});

beforeEach(async () => {
  await getDb().execute(sql`delete from job_runner_items`);
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  setClock(undefined);
});

afterAll(async () => {
  await getDb().execute(sql`drop table if exists job_runner_items`);
  await closeDb();
});

async function insertItems(ids: number[]): Promise<void> {
  const values = sql.join(ids.map((id) => sql`(${id})`), sql`, `);
  await getDb().execute(sql`insert into job_runner_items (id) values ${values}`);
}

async function claim(workerId: string, limit: number): Promise<Item[]> {
  const result = await getDb().execute<{ id: number; attempts: number; claimed_by: string }>(sql`
    update job_runner_items i
    set status = 'running', attempts = i.attempts + 1, claimed_by = ${workerId}, next_attempt_at = now() + interval '1 minute'
    where i.id in (
      select id from job_runner_items
      where status in ('pending', 'running') and next_attempt_at <= now()
      order by id limit ${limit}
      for update skip locked
    )
    returning i.id, i.attempts, i.claimed_by`);
  return result.rows.map((r) => ({ id: Number(r.id), attempts: Number(r.attempts), claimedBy: r.claimed_by }));
}

async function mark(item: Item, status: 'done' | 'pending'): Promise<void> {
  await getDb().execute(sql`
    update job_runner_items set status = ${status}, next_attempt_at = now()
    where id = ${item.id} and claimed_by = ${item.claimedBy} and attempts = ${item.attempts} and status = 'running'`);
}

const statuses = async () =>
  (await getDb().execute<{ status: string; n: number }>(sql`select status, count(*)::int as n from job_runner_items group by status order by status`)).rows.map(
    (r) => [r.status, Number(r.n)],
  );

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

function testJob(overrides: Partial<Job<Item>> & Pick<Job<Item>, 'run'>): Job<Item> {
  return { name: 'holds', log: 'test.jobs', claim, concurrency: 4, batch: 4, claimAt: 1, pollMs: 50, ...overrides };
}

describe('the job runner', () => {
  it('two runners on one table run every item once: claim, run, mark', async () => {
    await insertItems(Array.from({ length: 120 }, (_, i) => i + 1));
    const runs = new Map<number, number>();
    const by = new Map<string, number>();
    const job = testJob({
      async run(item) {
        runs.set(item.id, (runs.get(item.id) ?? 0) + 1);
        by.set(item.claimedBy, (by.get(item.claimedBy) ?? 0) + 1);
        await pause(2);
        await mark(item, 'done');
      },
    });
    runners.push(startJob(job), startJob(job));
    await until(async () => (await statuses()).join() === 'done,120', 'every item done');
    expect(runs.size).toBe(120);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect([...by.values()].reduce((a, b) => a + b, 0)).toBe(120);
  });

  it('claims only as many as its free slots, and refills a slot once it frees', async () => {
    await insertItems(Array.from({ length: 10 }, (_, i) => i + 1));
    let inFlight = 0;
    let most = 0;
    const job = testJob({
      concurrency: 3,
      batch: 3,
      async run(item) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await pause(20);
        inFlight -= 1;
        await mark(item, 'done');
      },
    });
    runners.push(startJob(job));
    await until(async () => (await statuses()).join() === 'done,10', 'every item done');
    expect(most).toBe(3);
  });

  it('leaves a failed item to its own retry mark; a failed claim backs off and the loop goes on', async () => {
    await insertItems([1]);
    let claims = 0;
    let attempts = 0;
    const job = testJob({
      async claim(workerId, limit) {
        claims += 1;
        if (claims <= 2) throw new Error('the database is away');
        return claim(workerId, limit);
      },
      async run(item) {
        attempts += 1;
        await mark(item, attempts === 1 ? 'pending' : 'done');
      },
      pollMs: 10,
    });
    runners.push(startJob(job));
    await until(async () => (await statuses()).join() === 'done,1', 'the item done on its second attempt');
    expect(claims).toBeGreaterThanOrEqual(3);
    expect(attempts).toBe(2);
    expect(failureBackoffMs(1, 1000)).toBe(2000);
    expect(failureBackoffMs(9, 1000)).toBe(30_000);
    expect(backoffMs(3, { baseMs: 5000, maxMs: 3_600_000 })).toBe(20_000);
  });

  it('is woken by a commit that wrote work, long before its poll', async () => {
    const ran: number[] = [];
    const job = testJob({
      pollMs: 60_000,
      async run(item) {
        ran.push(item.id);
        await mark(item, 'done');
      },
    });
    runners.push(startJob(job, { nudgeable: true }));
    await pause(100); // its first claim found nothing: it sleeps for a minute
    await getDb().transaction(async (tx) => {
      await tx.execute(sql`insert into job_runner_items (id) values (7)`);
      afterCommit(tx, jobWaker('holds'));
    });
    await until(() => ran.length === 1, 'the woken runner ran the item', 5000);
    expect(ran).toEqual([7]);
  });

  it('purges once the clock has moved an hour, not before', async () => {
    const clock = manualClock();
    setClock(clock);
    let purges = 0;
    const job = testJob({
      pollMs: 10,
      run: async () => undefined,
      async purge() {
        purges += 1;
        return 0;
      },
    });
    runners.push(startJob(job));
    await pause(100);
    expect(purges).toBe(0);
    clock.advance(PURGE_EVERY_MS);
    await until(() => purges === 1, 'the first purge');
    await pause(100);
    expect(purges).toBe(1);
  });

  it('stops gracefully: the item in flight finishes, nothing new is claimed, then the job closes', async () => {
    await insertItems([1, 2, 3]);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const events: string[] = [];
    const job = testJob({
      concurrency: 1,
      batch: 1,
      async run(item) {
        events.push(`start ${item.id}`);
        await held;
        await mark(item, 'done');
        events.push(`done ${item.id}`);
      },
      close: () => {
        events.push('closed');
      },
    });
    const runner = startJob(job);
    await until(() => events.length === 1, 'the first item started');
    let stopped = false;
    const stopping = runner.stop().then(() => {
      stopped = true;
    });
    await pause(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(events).toEqual(['start 1', 'done 1', 'closed']);
    expect(await statuses()).toEqual([
      ['done', 1],
      ['pending', 2],
    ]);
  });

  it('drains due items in the caller (the cron route), claim after claim', async () => {
    await insertItems(Array.from({ length: 9 }, (_, i) => i + 1));
    const job = testJob({ run: (item) => mark(item, 'done') });
    expect(await drainJob(job)).toBe(9);
    expect(await statuses()).toEqual([['done', 9]]);
  });
});
