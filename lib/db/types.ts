import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type * as schema from './schema';

/** The pool-backed database; `$client` is its pool (drizzle() sets it). */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A transaction handle; operations that must be atomic take this, never the pool. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Either the pool-backed database or a transaction: for reads that work in both. */
export type Queryable = Database | Tx;
