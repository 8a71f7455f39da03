// After-commit callbacks and writes sent with the COMMIT (lib/db/transaction.ts), and the mail worker's wake-up
// that lib/outbox/enqueue.ts registers with them: it runs when the
// transaction that wrote the outbox rows commits, whoever opened it (the
// idempotency layer, or a plain db.transaction as the Stripe webhook does),
// and never when it rolls back.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { afterCommit, transactionFinishingWith, writeWithCommit } from '@/lib/db/transaction';
import { setJobWake } from '@/lib/jobs/wake';
import { register } from '@/lib/registrations/service';
import { call, createOrganiser, uniqueEmail, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

let organiser: Organiser;
let wakes = 0;

beforeAll(async () => {
  organiser = await createOrganiser('After-commit Organiser');
});

afterEach(() => setJobWake('mail', null));

afterAll(async () => {
  await closeDb();
});

function countWakes(): void {
  wakes = 0;
  setJobWake('mail', () => {
    wakes += 1;
  });
}

async function publishedEventSlug(): Promise<string> {
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody() });
  expect(res.status, res.text).toBe(201);
  return (res.json as { data: { event: { slug: string } } }).data.event.slug;
}

const registrant = () => ({ name: 'Ann', email: uniqueEmail('after-commit'), locale: 'en' as const, address: `203.0.113.${Math.floor(Math.random() * 250) + 1}` });

describe('afterCommit on db.transaction', () => {
  it('runs the callback once the transaction commits, not before', async () => {
    const ran: string[] = [];
    await getDb().transaction(async (tx) => {
      afterCommit(tx, () => ran.push('committed'));
      await tx.execute(sql`select 1`);
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['committed']);
  });

  it('never runs it when the work throws and the transaction rolls back', async () => {
    const ran: string[] = [];
    const boom = new Error('roll back on purpose');
    await expect(
      getDb().transaction(async (tx) => {
        afterCommit(tx, () => ran.push('committed'));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(ran).toEqual([]);
  });

  it('never runs it when the transaction is rolled back explicitly', async () => {
    const ran: string[] = [];
    await expect(
      getDb().transaction(async (tx) => {
        afterCommit(tx, () => ran.push('committed'));
        tx.rollback();
      }),
    ).rejects.toThrow();
    expect(ran).toEqual([]);
  });

  it('drops what a rolled-back savepoint registered and keeps what a released one did', async () => {
    const ran: string[] = [];
    await getDb().transaction(async (tx) => {
      afterCommit(tx, () => ran.push('outer'));
      await tx.transaction(async (sp) => {
        afterCommit(sp, () => ran.push('released savepoint'));
      });
      await tx
        .transaction(async (sp) => {
          afterCommit(sp, () => ran.push('rolled-back savepoint'));
          throw new Error('roll the savepoint back');
        })
        .catch(() => undefined);
    });
    expect(ran).toEqual(['outer', 'released savepoint']);
  });

  it('runs one function registered twice in a transaction once', async () => {
    let n = 0;
    const once = () => {
      n += 1;
    };
    await getDb().transaction(async (tx) => {
      afterCommit(tx, once);
      afterCommit(tx, once);
    });
    expect(n).toBe(1);
  });

  it('a callback that throws is logged and does not fail the committed transaction', async () => {
    const ran: string[] = [];
    const value = await getDb().transaction(async (tx) => {
      afterCommit(tx, () => {
        throw new Error('callback failed');
      });
      afterCommit(tx, () => ran.push('next'));
      return 'done';
    });
    expect(value).toBe('done');
    expect(ran).toEqual(['next']);
  });

  it('refuses a transaction of a Database not made by createDatabase, rather than losing the callback', async () => {
    const bare = drizzle(getPool(), { schema });
    await expect(bare.transaction(async (tx) => afterCommit(tx, () => undefined))).rejects.toThrow(/not opened through lib\/db/);
  });
});

describe('afterCommit on transactionFinishingWith', () => {
  it('runs the callback after the final statement and COMMIT succeeded', async () => {
    const ran: string[] = [];
    const { value } = await transactionFinishingWith(getDb(), async (tx) => {
      afterCommit(tx, () => ran.push('committed'));
      expect(ran).toEqual([]);
      return { statement: 'select 1', value: 'ok' };
    });
    expect(value).toBe('ok');
    expect(ran).toEqual(['committed']);
  });

  it('never runs it when the work throws', async () => {
    const ran: string[] = [];
    await expect(
      transactionFinishingWith(getDb(), async (tx) => {
        afterCommit(tx, () => ran.push('committed'));
        throw new Error('roll back on purpose');
      }),
    ).rejects.toThrow('roll back on purpose');
    expect(ran).toEqual([]);
  });

  it('never runs it when the final statement raises and keeps the COMMIT from happening', async () => {
    const ran: string[] = [];
    await expect(
      transactionFinishingWith(getDb(), async (tx) => {
        afterCommit(tx, () => ran.push('committed'));
        return { statement: 'select 1 / 0', value: null };
      }),
    ).rejects.toThrow();
    expect(ran).toEqual([]);
  });
});

describe('writeWithCommit', () => {
  // A scratch table of this file's own; the text, the jsonb and the date go through every literal kind.
  beforeAll(async () => {
    await getDb().execute(sql`create table if not exists after_commit_writes (id uuid primary key, note text, doc jsonb, at timestamptz, n int, ok boolean)`);
  });
  const rowsOf = async (id: string) =>
    (await getDb().execute<{ note: string; doc: unknown; at: string | Date; n: number; ok: boolean }>(sql`select note, doc, at, n, ok from after_commit_writes where id = ${id}`)).rows;
  const insertOf = (id: string, note: string) =>
    sql`insert into after_commit_writes (id, note, doc, at, n, ok) values (${id}, ${note}, ${JSON.stringify({ quote: "it's", slash: 'a\\b $1' })}::jsonb, ${new Date('2027-03-01T18:00:00Z')}, ${7}, ${true})`;

  it('in transactionFinishingWith: nothing is sent before the COMMIT, then the row commits with it and its count arrives before the afterCommit callbacks', async () => {
    const id = randomUUID();
    const ran: string[] = [];
    await transactionFinishingWith(getDb(), async (tx) => {
      await writeWithCommit(tx, insertOf(id, "O'Brien $2"), (n) => ran.push(`written ${n}`));
      afterCommit(tx, () => ran.push('committed'));
      // Not sent yet: this transaction's own read does not see it.
      const inside = await tx.execute(sql`select 1 from after_commit_writes where id = ${id}`);
      expect(inside.rows).toHaveLength(0);
      return { statement: 'select 1', value: null };
    });
    expect(ran).toEqual(['written 1', 'committed']);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ note: "O'Brien $2", doc: { quote: "it's", slash: 'a\\b $1' }, n: 7, ok: true });
    expect(row && new Date(row.at).toISOString()).toBe('2027-03-01T18:00:00.000Z');
  });

  it('never sends the write when the work throws, and a write that fails rolls the whole transaction back', async () => {
    const dropped = randomUUID();
    await expect(
      transactionFinishingWith(getDb(), async (tx) => {
        await writeWithCommit(tx, insertOf(dropped, 'dropped'));
        throw new Error('roll back on purpose');
      }),
    ).rejects.toThrow('roll back on purpose');
    expect(await rowsOf(dropped)).toHaveLength(0);

    const mine = randomUUID();
    const taken = randomUUID();
    await getDb().execute(insertOf(taken, 'already there'));
    const ran: string[] = [];
    await expect(
      transactionFinishingWith(getDb(), async (tx) => {
        await tx.execute(insertOf(mine, 'the work’s own write'));
        await writeWithCommit(tx, insertOf(taken, 'a duplicate key'), () => ran.push('written'));
        afterCommit(tx, () => ran.push('committed'));
        return { statement: 'select 1', value: null };
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await rowsOf(mine)).toHaveLength(0);
    expect(ran).toEqual([]);
  });

  it('in a plain db.transaction the write runs at once, and its count arrives there', async () => {
    const id = randomUUID();
    let count = -1;
    await getDb().transaction(async (tx) => {
      await writeWithCommit(tx, insertOf(id, 'at once'), (n) => {
        count = n;
      });
      expect(count).toBe(1);
      expect((await tx.execute(sql`select 1 from after_commit_writes where id = ${id}`)).rows).toHaveLength(1);
    });
    expect(await rowsOf(id)).toHaveLength(1);
  });
});

describe("the mail worker's wake-up", () => {
  it('wakes the worker after an idempotent request commits its registration and mail', async () => {
    const slug = await publishedEventSlug();
    countWakes();
    const res = await call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, {
      key: randomUUID(),
      body: { name: 'Ann', email: uniqueEmail('woken'), locale: 'en' },
      params: { slug },
    });
    expect(res.status, res.text).toBe(201);
    expect(wakes).toBe(1);
  });

  it('does not wake it when the idempotent operation fails and rolls its mail back', async () => {
    const slug = await publishedEventSlug();
    const body = { name: 'Ann', email: uniqueEmail('twice'), locale: 'en' as const };
    const first = await call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, { key: randomUUID(), body, params: { slug } });
    expect(first.status).toBe(201);
    countWakes();
    // Same email, new key: the INSERT is refused (409 ALREADY_REGISTERED), the transaction rolls back.
    const second = await call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, { key: randomUUID(), body, params: { slug } });
    expect(second.status).toBe(409);
    expect(wakes).toBe(0);
  });

  it('wakes it after a commit outside the idempotency layer (a plain db.transaction, as the webhook opens)', async () => {
    const slug = await publishedEventSlug();
    countWakes();
    await getDb().transaction(async (tx) => {
      await register(tx, slug, registrant());
      expect(wakes).toBe(0);
    });
    expect(wakes).toBe(1);
  });

  it('does not wake it when such a transaction rolls back after enqueueing', async () => {
    const slug = await publishedEventSlug();
    countWakes();
    const boom = new Error('roll back on purpose');
    await expect(
      getDb().transaction(async (tx) => {
        await register(tx, slug, registrant());
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(wakes).toBe(0);
  });
});
