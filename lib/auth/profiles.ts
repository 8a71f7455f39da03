import { eq } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { profiles } from '@/lib/db/schema';
import type { SettingsDto } from './schemas';

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

/** The organiser's settings (a profile's own choices); none set yet for an organiser without a profile. */
export async function settingsOf(db: Queryable, userId: string): Promise<SettingsDto> {
  const [row] = await db.select({ defaultCurrency: profiles.defaultCurrency }).from(profiles).where(eq(profiles.userId, userId)).limit(1);
  return { defaultCurrency: row?.defaultCurrency ?? null };
}

/** Sets the currency new ticket types are priced in; events that sell already keep theirs. */
export async function updateSettings(db: Queryable, userId: string, patch: { defaultCurrency: string }): Promise<SettingsDto> {
  await db
    .insert(profiles)
    .values({ userId, name: null, defaultCurrency: patch.defaultCurrency })
    .onConflictDoUpdate({ target: profiles.userId, set: { defaultCurrency: patch.defaultCurrency } });
  return settingsOf(db, userId);
}
