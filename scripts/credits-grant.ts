// npm run credits:grant -- --email x@y --amount N [--reason text]
// Adds N credits to an organiser: ledger row and balance in one transaction.
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { localUsers } from '../lib/auth/local-users';
import { grantCredits } from '../lib/billing/credits';
import { createPool } from '../lib/db/pool';
import * as schema from '../lib/db/schema';
import { operatorDatabase } from './support/local-database';

const USAGE = 'usage: npm run credits:grant -- --email organiser@example.com --amount N [--reason text]';

function fail(message: string): never {
  console.error(`credits:grant: ${message}`);
  process.exit(1);
}

let values: { email?: string; amount?: string; reason?: string };
try {
  ({ values } = parseArgs({
    options: { email: { type: 'string' }, amount: { type: 'string' }, reason: { type: 'string' } },
    strict: true,
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}

const email = values.email?.trim().toLowerCase();
if (!email) fail(`--email is required\n${USAGE}`);
const amountText = values.amount?.trim() ?? '';
if (!/^\d+$/.test(amountText) || Number(amountText) <= 0 || !Number.isSafeInteger(Number(amountText))) {
  fail(`--amount must be a positive whole number, got ${JSON.stringify(values.amount ?? '')}\n${USAGE}`);
}
const amount = Number(amountText);
const reason = values.reason?.trim() || 'operator_grant';

let database: Awaited<ReturnType<typeof operatorDatabase>>;
try {
  database = await operatorDatabase();
} catch (error) {
  fail((error as Error).message);
}
const pool = createPool(database.url, 1);
try {
  const db = drizzle(pool, { schema });
  const users = await db
    .select({ id: localUsers.id })
    .from(localUsers)
    .where(sql`lower(${localUsers.email}) = ${email}`)
    .limit(1);
  const user = users[0];
  if (!user) {
    process.exitCode = 1;
    console.error(`credits:grant: no organiser with email ${email} in ${database.description}`);
  } else {
    // Credits are a team's: this grants them to the organiser's personal team, whose id is theirs.
    const balance = await grantCredits(db, { teamId: user.id, amount, reason });
    console.log(`Granted ${amount} credit${amount === 1 ? '' : 's'} to ${email} (reason: ${reason}). New balance: ${balance}.`);
  }
} finally {
  await pool.end();
  await database.close();
}
