// Databases for the suite: a fresh one per scenario on the Postgres server of
// RELIABILITY_DATABASE_URL or DATABASE_URL (created, migrated, dropped), and a
// throwaway cluster of our own for the scenario that stops Postgres: the
// machine's server is shared and must never be stopped.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { migrateDatabase } from '../../../lib/db/migrate';
import type { Database } from '../../../lib/db/pool';
import * as schema from '../../../lib/db/schema';
import { createTestDatabase } from '../../setup/global-db';

export function serverUrl(): string {
  const url = process.env.RELIABILITY_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error('The reliability suite needs a real Postgres: set DATABASE_URL (a server where it may create databases)');
  }
  return url;
}

export type ScenarioDatabase = { url: string; db: Database; pool: pg.Pool; close(): Promise<void> };

/** A new, migrated database on the server; close() drops it. */
export async function freshDatabase(label: string, server = serverUrl()): Promise<ScenarioDatabase> {
  const created = await createTestDatabase(server, `rel_${label}_${Date.now()}_${process.pid}`);
  await migrateDatabase(created.url);
  const pool = new pg.Pool({ connectionString: created.url, max: 4 });
  pool.on('error', () => {}); // the faults scenario kills connections on purpose
  return {
    url: created.url,
    pool,
    db: drizzle(pool, { schema }),
    async close() {
      await pool.end();
      await created.drop();
    },
  };
}

export type Invariants = {
  /** Accounts whose balance is not the sum of their ledger. */
  balanceMismatches: string[];
  /** Upgraded events without their ledger debit, or debits without an upgrade. */
  upgradesWithoutDebit: string[];
  debitsWithoutUpgrade: number[];
  negativeBalances: string[];
};

export async function checkInvariants(db: Database): Promise<Invariants> {
  const mismatched = await db.execute<{ team_id: string }>(sql`
    select a.team_id from credit_accounts a
    left join (select team_id, sum(delta)::int as total from credit_ledger group by team_id) l using (team_id)
    where a.balance <> coalesce(l.total, 0)`);
  const upgrades = await db.execute<{ event_id: string }>(sql`
    select u.event_id from event_upgrades u
    left join credit_ledger l on l.id = u.ledger_id and l.event_id = u.event_id and l.delta = -1
    where l.id is null`);
  const debits = await db.execute<{ id: number }>(sql`
    select l.id from credit_ledger l left join event_upgrades u on u.ledger_id = l.id
    where l.delta < 0 and u.event_id is null`);
  const negative = await db.execute<{ team_id: string }>(sql`select team_id from credit_accounts where balance < 0`);
  return {
    balanceMismatches: mismatched.rows.map((r) => r.team_id),
    upgradesWithoutDebit: upgrades.rows.map((r) => r.event_id),
    debitsWithoutUpgrade: debits.rows.map((r) => Number(r.id)),
    negativeBalances: negative.rows.map((r) => r.team_id),
  };
}

export const CLEAN: Invariants = { balanceMismatches: [], upgradesWithoutDebit: [], debitsWithoutUpgrade: [], negativeBalances: [] };

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export type Cluster = { url: string; port: number; start(): Promise<void>; stop(): Promise<void>; destroy(): Promise<void> };

/**
 * A Postgres cluster of our own (initdb in a temp dir), so it can be stopped
 * and started mid-load. As root, the server runs as the postgres user.
 */
export async function throwawayCluster(port: number): Promise<Cluster> {
  const initdb = path.join(PG_BIN, 'initdb');
  const pgCtl = path.join(PG_BIN, 'pg_ctl');
  if (!existsSync(initdb)) throw new Error(`no initdb at ${initdb}: set PG_BIN to the Postgres binaries`);
  const dir = await mkdtemp(path.join(tmpdir(), 'rel-pg-'));
  const dataDir = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  await chmod(dir, 0o777);
  // Asynchronous, so the load the test drives keeps running while Postgres stops and starts.
  const run = async (bin: string, args: string[]): Promise<void> => {
    await promisify(execFile)(asRoot ? 'runuser' : bin, asRoot ? ['-u', 'postgres', '--', bin, ...args] : args);
  };
  await run(initdb, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => run(pgCtl, ['-D', dataDir, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']),
    // fast: disconnect everyone at once, like an outage or a failover would.
    stop: () => run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']),
    async destroy() {
      try {
        await cluster.stop();
      } catch {
        // not running
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
