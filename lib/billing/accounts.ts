import { getDb, type Queryable } from '@/lib/db/pool';
import { creditAccounts, profiles, type Plan } from '@/lib/db/schema';
import { getPlanAndBalance } from './credits';
import { planEntitlements, type Entitlements } from './plans';

/** Gives a new organiser a profile (free plan) and an empty credit account; safe to repeat. */
export async function ensureOrganiser(db: Queryable, userId: string, name: string | null, plan: Plan = 'free'): Promise<void> {
  await db.insert(profiles).values({ userId, name, plan }).onConflictDoNothing();
  await db.insert(creditAccounts).values({ userId, balance: 0 }).onConflictDoNothing();
}

export type OrganiserAccount = { plan: Plan; balance: number; entitlements: Entitlements };

/** The one answer to "what may this organiser do": plan, entitlements and balance. */
export async function getOrganiserAccount(userId: string, db: Queryable = getDb()): Promise<OrganiserAccount> {
  const { plan, balance } = await getPlanAndBalance(db, userId);
  return { plan, balance, entitlements: planEntitlements(plan) };
}
