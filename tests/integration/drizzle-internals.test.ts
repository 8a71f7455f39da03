// What lib/db/drizzle-internals.ts relies on in drizzle-orm beyond its
// documented API, held to the behaviour the transaction helpers need: an
// upgrade that changes `db._`, the session classes, the dialect's query text
// or how savepoints open fails here before it breaks the idempotency layer's
// transactions or the after-commit callbacks.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOf, transactionOnClient, wrapSavepoints, wrapTransactions } from '@/lib/db/drizzle-internals';
import { closeDb, createPool, databaseUrl, getDb, type Database } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { afterCommit, transactionFinishingWith } from '@/lib/db/transaction';

const pool = createPool(databaseUrl(), 2);
const db: Database = drizzle(pool, { schema });

beforeAll(async () => {
  await db.execute(sql`create table if not exists it_drizzle_internals (id uuid primary key, label text not null)`);
});

afterAll(async () => {
  await pool.end();
  await closeDb();
});

const insert = (id: string, label: string) => sql`insert into it_drizzle_internals (id, label) values (${id}, ${label})`;

async function labels(ids: string[]): Promise<string[]> {
  const rows = await db.execute<{ label: string }>(
    sql`select label from it_drizzle_internals where id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )}) order by label`,
  );
  return rows.rows.map((r) => r.label);
}

describe('drizzle internals the transaction helpers use', () => {
  it("exposes the relational config on db._ that a transaction handle is built from", () => {
    expect(db._).toEqual(expect.objectContaining({ schema: expect.any(Object), fullSchema: expect.any(Object), tableNamesMap: expect.any(Object) }));
    expect(Object.keys(db._.fullSchema ?? {})).toContain('idempotencyKeys');
  });

  it('builds a transaction handle over a client whose BEGIN we sent: its statements run in that transaction, relational queries included', async () => {
    const client = await pool.connect();
    const kept = randomUUID();
    const dropped = randomUUID();
    try {
      await client.query('begin');
      const tx = transactionOnClient(db, client);
      await tx.execute(insert(kept, 'kept'));
      // The relational API needs the schema handed over from db._.
      expect(await tx.query.idempotencyKeys.findFirst({ where: (k, { eq }) => eq(k.key, randomUUID()) })).toBeUndefined();
      await client.query('commit');
      await client.query('begin');
      await transactionOnClient(db, client).execute(insert(dropped, 'dropped'));
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await labels([kept, dropped])).toEqual(['kept']);
  });

  it("opens savepoints from the handle: a nested transaction that throws rolls back alone", async () => {
    const client = await pool.connect();
    const [outer, inner, nested] = [randomUUID(), randomUUID(), randomUUID()];
    try {
      await client.query('begin');
      const tx = transactionOnClient(db, client);
      await tx.execute(insert(outer, 'outer'));
      await tx.transaction(async (sp) => {
        await sp.execute(insert(inner, 'inner'));
        await expect(
          sp.transaction(async (sp2) => {
            await sp2.execute(insert(nested, 'nested'));
            throw new Error('roll the savepoint back');
          }),
        ).rejects.toThrow('roll the savepoint back');
      });
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await labels([outer, inner, nested])).toEqual(['inner', 'outer']);
  });

  it('renders a statement as the text and $n parameters Drizzle would send', () => {
    const id = randomUUID();
    expect(queryOf(insert(id, 'text'))).toEqual({ sql: 'insert into it_drizzle_internals (id, label) values ($1, $2)', params: [id, 'text'] });
  });

  it('lets a wrapper replace how a database opens transactions and a transaction opens savepoints', async () => {
    const seen: string[] = [];
    const wrapped = wrapTransactions(drizzle(pool, { schema }), (open) => async (work, config) => {
      seen.push('transaction');
      return open((tx) => work(wrapSavepoints(tx, (savepoint) => async (inner) => {
        seen.push('savepoint');
        return savepoint(inner);
      })), config);
    });
    await wrapped.transaction(async (tx) => {
      await tx.transaction(async (sp) => {
        await sp.execute(sql`select 1`);
      });
    });
    expect(seen).toEqual(['transaction', 'savepoint']);
  });
});

describe('after-commit callbacks over those internals', () => {
  it('run once the COMMIT succeeded, in the order registered, with a released savepoint’s in its place and a rolled-back one’s never', async () => {
    for (const open of ['db.transaction', 'transactionFinishingWith'] as const) {
      const ran: string[] = [];
      const work = async (tx: Parameters<Parameters<Database['transaction']>[0]>[0]) => {
        afterCommit(tx, () => ran.push('first'));
        await tx.transaction(async (sp) => {
          afterCommit(sp, () => ran.push('released savepoint'));
        });
        await tx
          .transaction(async (sp) => {
            afterCommit(sp, () => ran.push('rolled-back savepoint'));
            throw new Error('roll back');
          })
          .catch(() => {});
        afterCommit(tx, () => ran.push('last'));
        expect(ran).toEqual([]);
      };
      if (open === 'db.transaction') await getDb().transaction(work);
      else await transactionFinishingWith(getDb(), async (tx) => {
        await work(tx);
        return { statement: 'select 1', value: null };
      });
      expect({ open, ran }).toEqual({ open, ran: ['first', 'released savepoint', 'last'] });
    }
  });

  it('never run when the COMMIT fails', async () => {
    const ran: string[] = [];
    await expect(
      transactionFinishingWith(getDb(), async (tx) => {
        afterCommit(tx, () => ran.push('committed'));
        return { statement: 'select 1/0', value: null };
      }),
    ).rejects.toThrow();
    expect(ran).toEqual([]);
  });
});
