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

/**
 * The display name an organiser who gave none starts with (their public pages
 * say "Hosted by …"): the email's local part, without a `+tag`, its dots,
 * dashes and underscores as spaces, each word capitalised: `anna.smith+events@…`
 * → "Anna Smith". Null when nothing is left (the page then names no one).
 */
export function nameFromEmail(email: string): string | null {
  const local = email.split('@')[0]?.split('+')[0] ?? '';
  const words = local
    .split(/[._-]+/)
    .map((word) => word.trim())
    .filter(Boolean)
    .map((word) => word.charAt(0).toLocaleUpperCase() + word.slice(1));
  return words.join(' ').slice(0, 100) || null;
}
