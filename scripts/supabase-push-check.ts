// `npm run db:push-check`: every file in supabase/migrations applies with the
// Supabase CLI. On a fresh database of a plain Postgres (DATABASE_URL's server,
// else 127.0.0.1:5432) it applies supabase/local, standing in for what Supabase
// itself provides (auth.users, auth.uid(), the roles), then runs
// `supabase db push --dry-run` and a real `supabase db push`, and drops the database.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../tests/setup/global-db';

const root = process.cwd();
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Not a dev dependency: its lock entries would list only the platform binaries
// this registry serves, and `npm ci` elsewhere would refuse the lock. npx fetches it.
const SUPABASE_CLI = 'supabase@3.1.0';

function push(url: string, dryRun: boolean): void {
  const target = new URL(url);
  target.searchParams.set('sslmode', 'disable');
  const args = ['db', 'push', '--db-url', target.toString(), ...(dryRun ? ['--dry-run'] : ['--yes'])];
  console.log(`$ supabase ${args.join(' ')}`);
  const result = spawnSync('npx', ['--yes', SUPABASE_CLI, ...args], { stdio: 'inherit', cwd: root });
  if (result.status !== 0) throw new Error(`supabase db push${dryRun ? ' --dry-run' : ''} failed (${result.status ?? result.signal})`);
}

const db = await createTestDatabase(serverUrl, `sb_push_check_${Date.now()}`);
try {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(await readFile(path.join(root, 'supabase/local/00_supabase_shim.sql'), 'utf8'));
  await client.end();
  push(db.url, true);
  push(db.url, false);
  const check = new pg.Client({ connectionString: db.url });
  await check.connect();
  const { rows } = await check.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version');
  await check.end();
  console.log(`applied by the CLI: ${rows.map((r) => r.version).join(', ')}`);
} finally {
  await db.drop();
}
