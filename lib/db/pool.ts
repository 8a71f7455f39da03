import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as schema from './schema';
import { isEmbeddedUrl } from './embedded-url';
import { withAfterCommit } from './transaction';
import type { Database } from './types';
import { processSingleton } from '@/lib/process-singleton';

export type { Database, Queryable, Tx } from './types';

// timestamptz and bigint come back as Date / string by default; keep bigint
// counts as numbers (they never approach 2^53 here).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

type DbState = { pool: pg.Pool; db: Database; url: string };


export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: run the app with `npm run dev` (embedded database) or set it');
  }
  return url;
}

export function createPool(url: string, max?: number): pg.Pool {
  // The embedded PGlite is one session: one connection, and requests queue for
  // it longer than they would for a real server (see lib/db/embedded.ts).
  const embedded = isEmbeddedUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? 1 : (max ?? Number(process.env.DATABASE_POOL_MAX ?? 10)),
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? (embedded ? 30_000 : 5000)),
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its connection emits here; without a listener
  // the process would crash. The pool drops the client and makes a new one.
  pool.on('error', (err) => {
    console.error(JSON.stringify({ level: 'warn', msg: 'db.idle_client_error', error: err.message }));
  });
  return pool;
}

/**
 * The app's Database over a pool: Drizzle, whose transactions (and their
 * savepoints) run the callbacks registered with `afterCommit` once they commit.
 * Scripts and tests that need their own pool make it here too.
 */
export function createDatabase(pool: pg.Pool): Database {
  return withAfterCommit(drizzle(pool, { schema }));
}

/** The process-wide pool (one per DATABASE_URL), kept across hot reloads in dev. */
function state(): DbState {
  const holder = processSingleton<{ current?: DbState }>('db', () => ({}));
  const url = databaseUrl();
  if (holder.current && holder.current.url === url) return holder.current;
  const pool = createPool(url);
  holder.current = { pool, db: createDatabase(pool), url };
  return holder.current;
}

export function getDb(): Database {
  return state().db;
}

export function getPool(): pg.Pool {
  return state().pool;
}

/** For tests and scripts: close the shared pool so the process can exit. */
export async function closeDb(): Promise<void> {
  const holder = processSingleton<{ current?: DbState }>('db', () => ({}));
  const current = holder.current;
  holder.current = undefined;
  if (current) await current.pool.end();
}
