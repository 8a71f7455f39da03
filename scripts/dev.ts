// `npm run dev` / `npm start`: Next.js on PORT (default 3000) against
// DATABASE_URL, or, without it, against the embedded PGlite in .data/pglite,
// which this script starts, migrates and seeds with the demo organiser.
// A DATABASE_URL is used as it is: no migrations, no demo account (it may be a
// shared or Supabase database, where migrations go up with their own tool).
// `dev` then requests the main pages once in the background, so the first
// clicks do not wait on compilation (scripts/support/warm-up.ts; DEV_WARMUP=0: not).
// Mail: the app's server process runs the mail worker (instrumentation.ts);
// without SMTP_URL this script starts a local SMTP catcher and points the
// worker at it, so mail is caught in .data/mail (listed on /dev/mail in dev).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { configOrExit } from '../lib/config';
import { DEFAULT_EMBEDDED_PORT, type EmbeddedPostgres } from '../lib/db/embedded';
import { migrateDatabase } from '../lib/db/migrate';
import { createDatabase, createPool } from '../lib/db/pool';
import { assertDemoSeedAllowed, DEMO_ORGANISER } from '../lib/auth/demo-organiser';
import { seedDemoOrganiser } from '../lib/billing/demo-seed';
import { DEV_DATA_DIR, describeUrl, startLockedEmbedded } from './support/local-database';
import { exited, onShutdown, runNext, spawnNext, stopChild } from './support/next';
import { warmUp } from './support/warm-up';
import { startMailCatcher, type MailCatcher } from '../lib/mail/catcher';

const mode = process.argv[2];
if (mode !== 'dev' && mode !== 'start') {
  console.error('usage: tsx scripts/dev.ts dev|start');
  process.exit(2);
}
// The app's variables, checked before anything starts (the app checks them again: instrumentation.ts).
const settings = configOrExit();
const port = settings.PORT;

let embedded: EmbeddedPostgres | null = null;
let databaseUrl = settings.DATABASE_URL;
let databaseLine: string;
let seeded = false;

if (databaseUrl) {
  databaseLine = `DATABASE_URL ${describeUrl(databaseUrl)} (not migrated or seeded here: run npm run db:migrate)`;
} else {
  embedded = await startLockedEmbedded(DEV_DATA_DIR, settings.EMBEDDED_DB_PORT ?? DEFAULT_EMBEDDED_PORT);
  databaseUrl = embedded.url;
  databaseLine = `embedded PGlite at 127.0.0.1:${embedded.port}, data in ${path.relative(process.cwd(), DEV_DATA_DIR) || DEV_DATA_DIR}`;
  try {
    await migrateDatabase(databaseUrl);
    // The demo account's password is published: only ever in the embedded database started just above.
    assertDemoSeedAllowed(databaseUrl);
    const pool = createPool(databaseUrl, 1);
    try {
      await seedDemoOrganiser(createDatabase(pool));
      seeded = true;
    } finally {
      await pool.end();
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) };

// No SMTP_URL: catch the app's mail locally instead of sending it anywhere.
const MAIL_DIR = path.resolve(settings.MAIL_CATCHER_DIR ?? '.data/mail');
let catcher: MailCatcher | null = null;
let mailLine: string;
if (settings.SMTP_URL) {
  mailLine = `SMTP_URL ${describeUrl(settings.SMTP_URL)}`;
} else {
  try {
    catcher = await startMailCatcher({ port: Number(process.env.MAIL_CATCHER_PORT ?? 0), dir: MAIL_DIR });
  } catch (error) {
    await (embedded ? embedded.stop() : Promise.resolve());
    throw error;
  }
  env.SMTP_URL = catcher.url;
  env.MAIL_CATCHER_DIR = MAIL_DIR;
  const where = mode === 'dev' ? `http://localhost:${port}/dev/mail` : path.relative(process.cwd(), MAIL_DIR);
  mailLine = `caught locally (no SMTP_URL): ${where}`;
}
// Memoized: the signal handler and the main flow both wait for the same close,
// so neither exits while PGlite is still writing its data dir.
let stopping: Promise<void> | null = null;
const stopEmbedded = (): Promise<void> =>
  (stopping ??= Promise.all([embedded ? embedded.stop() : Promise.resolve(), catcher ? catcher.close() : Promise.resolve()]).then(() => {}));

if (mode === 'start' && !existsSync('.next/BUILD_ID')) {
  console.log('No production build yet: running next build first.');
  try {
    await runNext(['build'], env);
  } catch (error) {
    await stopEmbedded();
    throw error;
  }
}

const banner = [
  '',
  `  App:       http://localhost:${port}  (next ${mode})`,
  `  Database:  ${databaseLine}`,
  `  Mail:      ${mailLine}`,
  seeded ? `  Demo:      ${DEMO_ORGANISER.email} / ${DEMO_ORGANISER.password}` : null,
  '  Stop with Ctrl-C.',
  '',
].filter((line) => line !== null);
console.log(banner.join('\n'));

const next = spawnNext([mode, '--port', String(port)], env);

// In the background: the first clicks then find their pages compiled (one line when done).
if (mode === 'dev' && settings.DEV_WARMUP) {
  void warmUp({ baseUrl: `http://localhost:${port}`, signIn: seeded ? { email: DEMO_ORGANISER.email, password: DEMO_ORGANISER.password } : null });
}

let signalled = false;
onShutdown(async () => {
  signalled = true;
  await stopChild(next);
  await stopEmbedded();
});

const code = await exited(next);
// Also when Next ended on its own (crash, killed from outside): release the database.
await stopEmbedded();
console.log(embedded ? `Stopped; the embedded database is closed (data kept in ${DEV_DATA_DIR}).` : 'Stopped.');
process.exit(signalled ? 0 : code);
