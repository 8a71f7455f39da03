// Every use of Drizzle beyond its documented API, in one place: building a
// transaction handle over a connection whose BEGIN we sent ourselves (its
// session classes and `db._`), the query text Drizzle would send for a
// statement (its dialect), and wrapping how a database opens transactions and
// a transaction opens savepoints. tests/integration/drizzle-internals.test.ts
// holds each of these to the behaviour relied on, so an upgrade of drizzle-orm
// that changes them fails there first.
import type { ExtractTablesWithRelations, SQLWrapper } from 'drizzle-orm';
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type * as schema from './schema';
import type { Database, Tx } from './types';

type Relations = ExtractTablesWithRelations<typeof schema>;

const dialect = new PgDialect();

/** The parts of `db._` a transaction handle needs so that `tx.query.<table>` works in it as in `db.transaction`. */
function relationalConfig(db: Database) {
  const { schema: relations, fullSchema, tableNamesMap } = db._;
  return relations ? { schema: relations, fullSchema, tableNamesMap } : undefined;
}

/**
 * A transaction handle over `client`, on which the caller has already sent
 * BEGIN and will send COMMIT or ROLLBACK itself: what Drizzle's own
 * `transaction()` hands its callback, minus the BEGIN and COMMIT round trips.
 * Its `transaction()` opens savepoints as Drizzle's does.
 */
export function transactionOnClient(db: Database, client: pg.PoolClient): Tx {
  const config = relationalConfig(db);
  const session = new NodePgSession<typeof schema, Relations>(client, dialect, config, {});
  return new NodePgTransaction<typeof schema, Relations>(dialect, session, config);
}

/** The statement text and parameters (`$1`, `$2`, …) Drizzle sends for `statement`. */
export function queryOf(statement: SQLWrapper): { sql: string; params: unknown[] } {
  const { sql, params } = dialect.sqlToQuery(statement.getSQL());
  return { sql, params };
}

type OpenTransaction = Database['transaction'];
type OpenSavepoint = Tx['transaction'];

/** Makes `db.transaction` go through `wrap`, which gets the original to call. */
export function wrapTransactions(db: Database, wrap: (open: OpenTransaction) => OpenTransaction): Database {
  db.transaction = wrap(db.transaction.bind(db));
  return db;
}

/** Makes `tx.transaction` (a savepoint) go through `wrap`, which gets the original to call. */
export function wrapSavepoints(tx: Tx, wrap: (open: OpenSavepoint) => OpenSavepoint): Tx {
  tx.transaction = wrap(tx.transaction.bind(tx));
  return tx;
}
