// The demo organiser of the embedded database (npm run dev / start) and of the
// e2e server. Built from the same pieces as local sign-up (lib/auth/local-provider.ts),
// which itself imports 'server-only' and so cannot run under tsx.
import { and, eq, sql } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/password';
import { localUsers } from '@/lib/auth/local-users';
import { ensureOrganiser } from '@/lib/billing/accounts';
import { getBalance, grantCredits } from '@/lib/billing/credits';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import type { Database } from '@/lib/db/pool';
import { creditLedger } from '@/lib/db/schema';

export const DEMO_ORGANISER = {
  email: 'demo@example.com',
  password: 'demo-password-1',
  name: 'Demo Organiser',
  credits: 3,
} as const;

/**
 * `npm run dev` / `npm start` seed the demo organiser (a published password)
 * only into the embedded database they started themselves: never into a
 * DATABASE_URL, which may be shared, self-hosted or Supabase.
 */
export function assertDemoSeedAllowed(databaseUrl: string): void {
  if (!isEmbeddedUrl(databaseUrl)) {
    throw new Error('Refusing to seed the demo organiser: the database is not the embedded one (only npm run dev/start without DATABASE_URL seed it).');
  }
}

const SEED_REASON = 'seed';
const SEED_LOCK = 727275;

export type SeedResult = { userId: string; created: boolean; granted: boolean; balance: number };

/** Creates the demo organiser and grants its credits once; repeating it changes nothing. */
export async function seedDemoOrganiser(db: Database): Promise<SeedResult> {
  const passwordHash = await hashPassword(DEMO_ORGANISER.password);
  return db.transaction(async (tx) => {
    // Two processes seeding one database at once (dev and e2e both seed) queue here.
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    const existing = await tx
      .select({ id: localUsers.id })
      .from(localUsers)
      .where(sql`lower(${localUsers.email}) = ${DEMO_ORGANISER.email}`)
      .limit(1);
    let userId = existing[0]?.id;
    const created = !userId;
    if (!userId) {
      const [row] = await tx
        .insert(localUsers)
        .values({ email: DEMO_ORGANISER.email, encryptedPassword: passwordHash, rawUserMetaData: { name: DEMO_ORGANISER.name } })
        .returning({ id: localUsers.id });
      if (!row) throw new Error('insert into auth.users returned no row');
      userId = row.id;
    }
    await ensureOrganiser(tx, userId, DEMO_ORGANISER.name, 'free');
    const seeded = await tx
      .select({ id: creditLedger.id })
      .from(creditLedger)
      .where(and(eq(creditLedger.userId, userId), eq(creditLedger.reason, SEED_REASON)))
      .limit(1);
    const granted = seeded.length === 0;
    // grantCredits opens a savepoint inside this transaction: still one commit.
    const balance = granted
      ? await grantCredits(tx, { userId, amount: DEMO_ORGANISER.credits, reason: SEED_REASON })
      : await getBalance(tx, userId);
    return { userId, created, granted, balance };
  });
}
