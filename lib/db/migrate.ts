// Applies supabase/local (plain Postgres only) and then the drizzle migrations.
// Both steps are safe to repeat: the shim is written to be re-run, and drizzle's
// journal (drizzle.__drizzle_migrations) skips what was applied.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';

const root = process.cwd();

export type MigrateOptions = {
  /** Skip supabase/local: the target is a Supabase project, which has its own auth schema. */
  supabase?: boolean;
};

export async function migrateDatabase(url: string, options: MigrateOptions = {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (!options.supabase) {
      const localDir = path.join(root, 'supabase/local');
      const files = (await readdir(localDir)).filter((f) => f.endsWith('.sql')).sort();
      for (const file of files) {
        await client.query(await readFile(path.join(localDir, file), 'utf8'));
      }
    }
    // Several processes may start at once against one database (tests, instances):
    // an advisory lock makes the second wait instead of racing on the journal.
    await client.query('SELECT pg_advisory_lock(727274)');
    try {
      await migrate(drizzle(client), { migrationsFolder: path.join(root, 'supabase/migrations') });
    } finally {
      await client.query('SELECT pg_advisory_unlock(727274)');
    }
  } finally {
    await client.end();
  }
}

/** Supabase hosts, where supabase/local must not be applied. */
export function isSupabaseUrl(url: string): boolean {
  return /\.supabase\.(co|com|net)\b|pooler\.supabase/.test(url);
}
