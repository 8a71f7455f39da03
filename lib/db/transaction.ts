// A transaction whose COMMIT rides with its last statement: one round trip
// less than BEGIN … COMMIT sent on their own. Used by the idempotency layer,
// whose last statement (completing the record) is known only after the work.
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { Database, Tx } from './pool';
import type * as schema from './schema';

type Relations = ExtractTablesWithRelations<typeof schema>;

const dialect = new PgDialect();

/** Quotes values for a statement sent as text (the simple protocol takes no parameters). */
export type Literal = (value: string | number | boolean | null) => string;

export type Finish<T> = {
  /** One SQL statement with its values inlined through `literal`; it runs, then COMMIT, in one round trip. */
  statement: string;
  value: T;
};

/**
 * Runs `work` in a transaction on one pooled connection, then sends its final
 * statement and COMMIT together. If either fails, the transaction rolls back
 * and the error is thrown (a statement that raises is how the caller keeps the
 * COMMIT from happening). Returns the work's value and the final statement's rows.
 */
export async function transactionFinishingWith<T>(
  db: Database,
  work: (tx: Tx, literal: Literal) => Promise<Finish<T>>,
): Promise<{ value: T; rows: Record<string, unknown>[] }> {
  const client = await db.$client.connect();
  const literal: Literal = (value) =>
    value === null ? 'null' : typeof value === 'string' ? client.escapeLiteral(value) : String(value);
  let released = false;
  const release = (error?: Error) => {
    if (!released) client.release(error);
    released = true;
  };
  try {
    const { schema: relations, fullSchema, tableNamesMap } = db._;
    const config = relations ? { schema: relations, fullSchema, tableNamesMap } : undefined;
    await client.query('begin').catch((error: unknown) => {
      release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
    const session = new NodePgSession<typeof schema, Relations>(client, dialect, config, {});
    const tx = new NodePgTransaction<typeof schema, Relations>(dialect, session, config);
    let finish: Finish<T>;
    try {
      finish = await work(tx, literal);
    } catch (error) {
      await rollback(client, release);
      throw error;
    }
    let results: unknown;
    try {
      results = await client.query(`${finish.statement};\ncommit`);
    } catch (error) {
      await rollback(client, release);
      throw error;
    }
    return { value: finish.value, rows: firstRows(results) };
  } finally {
    release();
  }
}

async function rollback(client: pg.PoolClient, release: (error?: Error) => void): Promise<void> {
  try {
    await client.query('rollback');
  } catch (error) {
    // A connection that cannot even roll back is dropped, never reused.
    release(error instanceof Error ? error : new Error(String(error)));
  }
}

/** pg answers a multi-statement text with one result per statement: the rows of the first. */
function firstRows(results: unknown): Record<string, unknown>[] {
  const first: unknown = Array.isArray(results) ? results[0] : results;
  if (first && typeof first === 'object' && 'rows' in first && Array.isArray(first.rows)) return first.rows;
  return [];
}
