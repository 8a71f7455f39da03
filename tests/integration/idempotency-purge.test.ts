// The purge, through the cron route's exported handler and through the npm
// script. It runs on a database of its own: a purge is global, and other test
// files create expired records on purpose while this one counts what it removes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { POST as purgeRoute } from '@/app/api/cron/idempotency-purge/route';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrateDatabase } from '@/lib/db/migrate';
import { closeDb, getDb } from '@/lib/db/pool';
import { idempotencyKeys } from '@/lib/db/schema';
import { createTestDatabase } from '../setup/global-db';
import { runScript } from './run-script';
import { call, createOrganiser, type Organiser } from './support';

let dropDatabase: () => Promise<void> = async () => {};
let organiser: Organiser;

beforeAll(async () => {
  let url: string;
  if (inject('databaseKind') === 'postgres') {
    const db = await createTestDatabase(inject('databaseUrl'), `it_purge_${Date.now()}_${process.pid}`);
    url = db.url;
    dropDatabase = db.drop;
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: null, port: 55500 });
    url = embedded.url;
    dropDatabase = embedded.stop;
  }
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  organiser = await createOrganiser();
});

afterAll(async () => {
  await closeDb();
  await dropDatabase();
});

/** Inserts a record of the organiser that expires `expiresInSeconds` from now (negative: already expired). */
async function insertRecord(status: 'completed' | 'failed' | 'in_progress', expiresInSeconds: number): Promise<string> {
  const [row] = await getDb()
    .insert(idempotencyKeys)
    .values({
      principal: `user:${organiser.id}`,
      userId: organiser.id,
      route: 'POST /api/events',
      key: randomUUID(),
      requestHash: 'test',
      status,
      lockedUntil: status === 'in_progress' ? sql`now() + interval '15 seconds'` : null,
      expiresAt: sql`now() + make_interval(secs => ${expiresInSeconds})`,
    })
    .returning({ id: idempotencyKeys.id });
  if (!row) throw new Error('insert returned no row');
  return row.id;
}

async function remainingIds(): Promise<string[]> {
  const rows = await getDb().select({ id: idempotencyKeys.id }).from(idempotencyKeys);
  return rows.map((r) => r.id).sort();
}

const purge = (authorization?: string) =>
  call(purgeRoute, 'POST', '/api/cron/idempotency-purge', authorization ? { headers: { authorization } } : {});

describe('POST /api/cron/idempotency-purge', () => {
  it('answers 401 UNAUTHENTICATED without the right bearer secret, or when CRON_SECRET is unset, and purges nothing', async () => {
    const expired = await insertRecord('completed', -60);
    delete process.env.CRON_SECRET;
    for (const res of [await purge(), await purge('Bearer '), await purge('Bearer undefined')]) {
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    }
    process.env.CRON_SECRET = 'cron-secret-for-tests';
    for (const res of [await purge(), await purge('Bearer wrong-secret'), await purge('cron-secret-for-tests')]) {
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ success: false, error: { code: 'UNAUTHENTICATED' } });
    }
    expect(await remainingIds()).toContain(expired);
    await getDb().delete(idempotencyKeys).where(sql`${idempotencyKeys.id} = ${expired}`);
  });

  it('removes exactly the expired records and answers 200 { removed }', async () => {
    process.env.CRON_SECRET = 'cron-secret-for-tests';
    await insertRecord('completed', -60);
    await insertRecord('failed', -1);
    const kept = [await insertRecord('completed', 3600), await insertRecord('in_progress', 600)].sort();

    const res = await purge('Bearer cron-secret-for-tests');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: true, data: { removed: 2 } });
    expect(await remainingIds()).toEqual(kept);

    const again = await purge('Bearer cron-secret-for-tests');
    expect(again.json).toEqual({ success: true, data: { removed: 0 } });
  });
});

describe('npm run idempotency:purge', () => {
  it('removes the expired records and prints how many', async () => {
    const before = await remainingIds();
    await insertRecord('completed', -5);
    await insertRecord('failed', -5);
    await insertRecord('completed', -5);
    const result = await runScript('scripts/idempotency-purge.ts', [], { DATABASE_URL: process.env.DATABASE_URL });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Removed 3 expired idempotency records from /);
    expect(await remainingIds()).toEqual(before);
  });
});
