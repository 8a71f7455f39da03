import type { Queryable } from '@/lib/db/pool';
import { profiles } from '@/lib/db/schema';

/**
 * Gives a new organiser a profile (free plan); safe to repeat. The database
 * opens the organiser's empty credit account with it (trigger
 * profiles_open_credit_account), so identity never writes billing's tables.
 */
export async function ensureProfile(db: Queryable, userId: string, name: string | null): Promise<void> {
  await db.insert(profiles).values({ userId, name }).onConflictDoNothing();
}
