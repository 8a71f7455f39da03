// The transaction helpers: after-commit callbacks on every transaction of a
// Database made by createDatabase (lib/db/pool.ts), and a transaction whose
// first statement rides with BEGIN and whose COMMIT rides with its last
// statement: two round trips less than sending each on its own. The latter is
// used by the idempotency layer, whose first statement (taking the key's lock
// and reading its record) decides whether the work runs at all, and whose last
// statement (writing the record) is known only after the work. Writes whose
// result the work never reads (an outbox row, webhook deliveries) can ride
// with that COMMIT too: `writeWithCommit`.
import type { SQLWrapper } from 'drizzle-orm';
import type pg from 'pg';
import { describeError, logLine } from '@/lib/log';
import { processSingleton } from '@/lib/process-singleton';
import { queryOf, transactionOnClient, wrapSavepoints, wrapTransactions } from './drizzle-internals';
import type { Database, Tx } from './types';

type Callbacks = Set<() => void>;

/**
 * The callbacks waiting for each open transaction's COMMIT (a savepoint has its
 * own until it is released). One per process: a production build may load this
 * module once per route bundle, and a transaction opened by one copy (the
 * Stripe webhook's `getDb().transaction`) is handed to code bundled with
 * another (the outbox's `afterCommit`); with a map per copy that afterCommit
 * threw (found by tests/reliability/tickets-refund-crash.test.ts).
 */
const pending = processSingleton('db.after-commit', () => new WeakMap<Tx, Callbacks>());

/**
 * Runs `callback` after `tx` commits, and never if it rolls back (a savepoint
 * rolled back drops what was registered inside it). The same function
 * registered twice in one transaction runs once. It runs after the connection
 * went back to the pool; an error it throws is logged, never turned into the
 * caller's error (the transaction has committed). Throws when `tx` was not
 * opened by this module's helpers (a Database not made by createDatabase),
 * so a callback is never silently lost.
 */
export function afterCommit(tx: Tx, callback: () => void): void {
  const callbacks = pending.get(tx);
  if (!callbacks) throw new Error('afterCommit: this transaction was not opened through lib/db (createDatabase or transactionFinishingWith)');
  callbacks.add(callback);
}

/** Runs what waited for a COMMIT that succeeded: its error is logged, never the caller's (the transaction has committed). */
function runCommitted(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    logLine('error', 'db.after_commit_failed', { error: describeError(error).message });
  }
}

function runCallbacks(callbacks: Callbacks): void {
  for (const callback of callbacks) runCommitted(callback);
}

/** Tracks `tx`'s callbacks in `callbacks`; its savepoints hand theirs up when they are released. */
function track(tx: Tx, callbacks: Callbacks): Tx {
  pending.set(tx, callbacks);
  return wrapSavepoints(tx, (savepoint) => async (work) => {
    const inner: Callbacks = new Set();
    const value = await savepoint((sp) => work(track(sp, inner)));
    for (const callback of inner) callbacks.add(callback);
    return value;
  });
}

/** A write sent with the COMMIT, and what wants its row count. */
type CommitWrite = { query: { sql: string; params: unknown[] }; written?: (rowCount: number) => void };

// The writes waiting for each transaction opened by transactionFinishingWith;
// one per process for the reason `pending` is (one copy of this module per route bundle).
const commitWrites = processSingleton('db.commit-writes', () => new WeakMap<Tx, CommitWrite[]>());

/**
 * Runs `write` (an INSERT whose rows nobody reads) in `tx`: sent with the
 * COMMIT when `tx` was opened by transactionFinishingWith (the idempotency
 * layer's transactions), at once in any other transaction or savepoint. Under
 * a lock every round trip counts: each registration queued behind the event's
 * row lock pays for every statement sent while it is held (docs/benchmarks.md,
 * "Public registrations"). A write that fails fails the COMMIT: the whole
 * transaction rolls back, as it would have where the write was made.
 * `written` gets its row count once it ran (before the afterCommit callbacks).
 */
export async function writeWithCommit(tx: Tx, write: SQLWrapper, written?: (rowCount: number) => void): Promise<void> {
  const queued = commitWrites.get(tx);
  if (queued) {
    queued.push({ query: queryOf(write), ...(written && { written }) });
    return;
  }
  const result = await tx.execute(write);
  written?.(result.rowCount ?? 0);
}

/** The query as text, each `$n` replaced by its value through `literal` (the simple protocol takes no parameters). */
function inlined({ sql, params }: CommitWrite['query'], literal: Literal): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return literal(value);
    if (value instanceof Date) return literal(value.toISOString());
    throw new Error(`writeWithCommit: parameter $${n} is neither text, a number, a boolean, a date nor null`);
  });
}

/** `db` whose `transaction()` runs the callbacks its work registered with `afterCommit`, once COMMIT succeeded. */
export function withAfterCommit(db: Database): Database {
  return wrapTransactions(db, (open) => async (work, config) => {
    const callbacks: Callbacks = new Set();
    const value = await open((tx) => work(track(tx, callbacks)), config);
    runCallbacks(callbacks);
    return value;
  });
}

/** Quotes values for a statement sent as text (the simple protocol takes no parameters). */
export type Literal = (value: string | number | boolean | null) => string;

export type Finish<T> = {
  /** One SQL statement with its values inlined through `literal`; it runs, then COMMIT, in one round trip. */
  statement: string;
  value: T;
};

export type Row = Record<string, unknown>;

/**
 * Runs `work` in a transaction on one pooled connection, then sends its final
 * statement and COMMIT together. If either fails, the transaction rolls back
 * and the error is thrown (a statement that raises is how the caller keeps the
 * COMMIT from happening; so does `work` throwing). Returns the work's value and
 * the final statement's rows; the work's `afterCommit` callbacks run once the
 * COMMIT succeeded.
 *
 * `opening`, when given, is sent with BEGIN in the same round trip: one or more
 * statements with their values inlined through `literal`, each run with its
 * own snapshot (READ COMMITTED), so a read after a lock sees what committed
 * before the lock was granted. `work` gets the rows of each, in order.
 */
export async function transactionFinishingWith<T>(
  db: Database,
  work: (tx: Tx, literal: Literal, opened: Row[][]) => Promise<Finish<T>>,
  opening?: (literal: Literal) => string,
): Promise<{ value: T; rows: Row[] }> {
  const client = await db.$client.connect();
  // A checked-out client has no 'error' listener of the pool's: a backend
  // terminated mid-transaction would otherwise be an unhandled 'error' event
  // (a crashed process). The failing query rejects on its own.
  const ignore = () => {};
  client.on('error', ignore);
  const callbacks: Callbacks = new Set();
  let committed: { value: T; rows: Row[] };
  const literal: Literal = (value) =>
    value === null ? 'null' : typeof value === 'string' ? client.escapeLiteral(value) : String(value);
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    // A client released with an error is destroyed: its late 'error' events stay ignored.
    if (!error) client.removeListener('error', ignore);
    client.release(error);
  };
  try {
    const begun = await client.query(opening ? `begin;\n${opening(literal)}` : 'begin').catch(async (error: unknown) => {
      // A statement of the opening may have failed after BEGIN; a connection that cannot roll back is dropped.
      await rollback(client, release);
      throw error;
    });
    const tx = track(transactionOnClient(db, client), callbacks);
    const writes: CommitWrite[] = [];
    commitWrites.set(tx, writes);
    let finish: Finish<T>;
    try {
      finish = await work(tx, literal, opening ? allRows(begun).slice(1) : []);
    } catch (error) {
      await rollback(client, release);
      throw error;
    }
    // The final statement first (the caller reads its rows), then the queued writes, then COMMIT.
    const text = [finish.statement, ...writes.map((write) => inlined(write.query, literal)), 'commit'].join(';\n');
    let results: unknown;
    try {
      results = await client.query(text);
    } catch (error) {
      await rollback(client, release);
      throw error;
    }
    committed = { value: finish.value, rows: firstRows(results) };
    const counts = statementResults(results).map((result) => result.rowCount);
    for (const [i, { written }] of writes.entries()) if (written) runCommitted(() => written(counts[i + 1] ?? 0));
  } finally {
    release();
  }
  runCallbacks(callbacks);
  return committed;
}

async function rollback(client: pg.PoolClient, release: (error?: Error) => void): Promise<void> {
  try {
    await client.query('rollback');
  } catch (error) {
    // A connection that cannot even roll back is dropped, never reused.
    release(error instanceof Error ? error : new Error(String(error)));
  }
}

/** pg answers a multi-statement text with one result per statement: the rows and row count of each. */
function statementResults(results: unknown): { rows: Row[]; rowCount: number }[] {
  const list: unknown[] = Array.isArray(results) ? results : [results];
  return list.map((result) => {
    if (!result || typeof result !== 'object') return { rows: [], rowCount: 0 };
    const rows = 'rows' in result && Array.isArray(result.rows) ? result.rows : [];
    const rowCount = 'rowCount' in result && typeof result.rowCount === 'number' ? result.rowCount : 0;
    return { rows, rowCount };
  });
}

/** The rows of each statement of a multi-statement text. */
function allRows(results: unknown): Row[][] {
  return statementResults(results).map((result) => result.rows);
}

/** The rows of the first statement of a multi-statement text. */
function firstRows(results: unknown): Row[] {
  return allRows(results)[0] ?? [];
}
