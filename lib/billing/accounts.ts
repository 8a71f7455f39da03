import type { Queryable } from '@/lib/db/pool';
import { creditAccounts, profiles, type Plan } from '@/lib/db/schema';

/** Gives a new organiser a profile (free plan) and an empty credit account; safe to repeat. */
export async function ensureOrganiser(db: Queryable, userId: string, name: string | null, plan: Plan = 'free'): Promise<void> {
  await db.insert(profiles).values({ userId, name, plan }).onConflictDoNothing();
  await db.insert(creditAccounts).values({ userId, balance: 0 }).onConflictDoNothing();
}
