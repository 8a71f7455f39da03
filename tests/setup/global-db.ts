// Integration tests get a fresh database: a new one on the Postgres server of
// TEST_DATABASE_URL or DATABASE_URL (dropped afterwards), else an in-memory
// embedded PGlite. Either way every migration is applied first.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../lib/db/migrate';
import { startEmbeddedPostgres } from '../../lib/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'postgres' | 'pglite';
  }
}

export async function createTestDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (serverUrl) {
    const db = await createTestDatabase(serverUrl, `it_${Date.now()}_${process.pid}`);
    await migrateDatabase(db.url);
    project.provide('databaseUrl', db.url);
    project.provide('databaseKind', 'postgres');
    return () => db.drop();
  }
  const embedded = await startEmbeddedPostgres({ dataDir: null, port: 55432 });
  await migrateDatabase(embedded.url);
  project.provide('databaseUrl', embedded.url);
  project.provide('databaseKind', 'pglite');
  return () => embedded.stop();
}
