// Seeds the demo organiser (lib/auth/demo-organiser.ts) with its credits, once.
import { and, eq, sql } from 'drizzle-orm';
import { DEMO_ORGANISER, ensureDemoUser } from '@/lib/auth/demo-organiser';
import type { Database } from '@/lib/db/pool';
import { creditLedger } from '@/lib/db/schema';
import { getBalance, grantCredits } from './credits';

const SEED_REASON = 'seed';
const SEED_LOCK = 727275;

export type SeedResult = { userId: string; created: boolean; granted: boolean; balance: number };

/** Creates the demo organiser and grants its credits once; repeating it changes nothing. */
export async function seedDemoOrganiser(db: Database): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    // Two processes seeding one database at once (dev and e2e both seed) queue here.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    // The demo organiser's credits are their personal team's, whose id is theirs.
    const { userId, created } = await ensureDemoUser(tx);
    const seeded = await tx
      .select({ id: creditLedger.id })
      .from(creditLedger)
      .where(and(eq(creditLedger.teamId, userId), eq(creditLedger.reason, SEED_REASON)))
      .limit(1);
    const granted = seeded.length === 0;
    // grantCredits opens a savepoint inside this transaction: still one commit.
    const balance = granted
      ? await grantCredits(tx, { teamId: userId, amount: DEMO_ORGANISER.credits, reason: SEED_REASON })
      : await getBalance(tx, userId);
    return { userId, created, granted, balance };
  });
}
