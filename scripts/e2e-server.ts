// Playwright's webServer: takes the production build the reliability suite
// uses too (tests/reliability/harness/build.ts: built once per content of the
// app files, or the ready one APP_BUILD_DIR names, as in CI), prepares a FRESH
// database (a new one on the server of TEST_DATABASE_URL / DATABASE_URL, else
// an embedded PGlite in a temp dir), migrates and seeds it, then runs
// `next start` from that build on E2E_PORT. On SIGTERM/SIGINT (Playwright's
// graceful shutdown) it stops Next and drops the database. E2E_SKIP_BUILD=1
// serves the tree's own .next as it is instead (local iterations only).
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { migrateDatabase } from '../lib/db/migrate';
import { createDatabase, createPool } from '../lib/db/pool';
import { seedDemoOrganiser } from '../lib/billing/demo-seed';
import { E2E_DB_URL_FILE, E2E_PORT, E2E_SERVER_STDERR_FILE } from '../e2e/support/env';
import { createTestDatabase } from '../tests/setup/global-db';
import { TEST_TIME_ZONE } from '../tests/setup/time-zone';
import { productionBuild } from '../tests/reliability/harness/build';
import { describeUrl } from './support/local-database';
import { exited, onShutdown, spawnNext, stopChild } from './support/next';

const E2E_DB_NAME = /^e2e_\d+_(\d+)$/;

/** Databases of earlier runs on this machine whose process died without cleaning up (SIGKILL, a crash). */
async function dropAbandonedDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'e2e\\_%'");
    for (const { datname } of rows) {
      const pid = Number(E2E_DB_NAME.exec(datname)?.[1]);
      if (!pid || isAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      console.log(`e2e: dropped the abandoned database ${datname}`);
    }
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Fresh = { url: string; description: string; dispose(): Promise<void> };

async function freshDatabase(): Promise<Fresh> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (serverUrl) {
    await dropAbandonedDatabases(serverUrl);
    const db = await createTestDatabase(serverUrl, `e2e_${Date.now()}_${process.pid}`);
    return { url: db.url, description: describeUrl(db.url), dispose: db.drop };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'e2e-pglite-'));
  // One embedded port per E2E_PORT (3100 → 54450), so two runs on one machine never share it.
  const embedded = await startEmbeddedPostgres({ dataDir, port: 51350 + E2E_PORT });
  return {
    url: embedded.url,
    description: `embedded PGlite at 127.0.0.1:${embedded.port}, data in ${dataDir}`,
    async dispose() {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// Registered first: a signal during the build or the migrations cleans up too.
let db: Fresh | null = null;
let next: ChildProcess | null = null;
let signalled = false;
let disposed: Promise<void> | null = null;
const dispose = () =>
  (disposed ??= (async () => {
    await rm(E2E_DB_URL_FILE, { force: true });
    if (db) {
      await db.dispose();
      console.log(`e2e: removed the database ${db.description}`);
    }
  })());
onShutdown(async () => {
  signalled = true;
  if (next) await stopChild(next);
  await dispose();
});

let appDir = process.cwd();
if (process.env.E2E_SKIP_BUILD === '1' && existsSync('.next/BUILD_ID')) {
  console.log('e2e: E2E_SKIP_BUILD=1, using the existing .next build');
} else {
  appDir = await productionBuild((line) => console.log(`e2e: ${line}`));
}

try {
  db = await freshDatabase();
  await migrateDatabase(db.url);
  const pool = createPool(db.url, 1);
  try {
    await seedDemoOrganiser(createDatabase(pool));
  } finally {
    await pool.end();
  }
  await mkdir(path.dirname(E2E_DB_URL_FILE), { recursive: true });
  await writeFile(E2E_DB_URL_FILE, db.url);
} catch (error) {
  await dispose();
  throw error;
}
if (signalled) await new Promise<never>(() => {}); // the shutdown handler exits

console.log(`e2e: database ${db.description}; next start on port ${E2E_PORT}`);
// The tests talk plain http to localhost, so the session cookie must not be Secure.
// Info lines (one per request) would bury Playwright's report; warnings and errors still show.
// Playwright's request contexts keep idle sockets; Node closes them after 5 s, and a request
// sent at that instant dies with ECONNRESET (seen once in the chaos matrix). Idle connections
// are left for the client to close.
next = spawnNext(['start', '--port', String(E2E_PORT), '--keepAliveTimeout', '65000'], {
  LOG_LEVEL: 'silent',
  ...process.env,
  DATABASE_URL: db.url,
  INSECURE_COOKIES: '1',
  // No Stripe here: checkouts open the app's TEST payment page (docs/api.md, "Buying credits").
  PAYMENTS_TEST_PROVIDER: '1',
  // The specs play the one proxy in front: each API sign-up names its own client
  // address (e2e/support/fixtures.ts), so the per-address sign-up limit (10 an
  // hour) counts test organisers apart; the browser's own requests count as 127.0.0.1.
  TRUST_PROXY_HOPS: '1',
  // A server clock far from UTC, so a time formatted with it instead of the
  // event's zone fails a test (tests/setup/time-zone.ts). The browser keeps its own.
  TZ: TEST_TIME_ZONE,
  // The integrations spec's webhook receiver listens on 127.0.0.1 (docs/api.md, "Integrations").
  WEBHOOKS_ALLOW_PRIVATE: '1',
}, appDir, E2E_SERVER_STDERR_FILE);
const code = await exited(next);
await dispose();
process.exit(signalled ? 0 : code);
