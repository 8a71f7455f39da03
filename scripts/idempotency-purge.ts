// npm run idempotency:purge: removes expired idempotency records (in batches)
// and prints how many. Schedule it, or call POST /api/cron/idempotency-purge.
import { drizzle } from 'drizzle-orm/node-postgres';
import { createPool } from '../lib/db/pool';
import * as schema from '../lib/db/schema';
import { purgeExpired } from '../lib/idempotency/store';
import { operatorDatabase } from './support/local-database';

let database: Awaited<ReturnType<typeof operatorDatabase>>;
try {
  database = await operatorDatabase();
} catch (error) {
  console.error(`idempotency:purge: ${(error as Error).message}`);
  process.exit(1);
}
const pool = createPool(database.url, 1);
try {
  const removed = await purgeExpired(drizzle(pool, { schema }));
  console.log(`Removed ${removed} expired idempotency record${removed === 1 ? '' : 's'} from ${database.description}.`);
} finally {
  await pool.end();
  await database.close();
}
