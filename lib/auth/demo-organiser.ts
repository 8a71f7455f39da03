// The demo organiser of the embedded database (npm run dev / start) and of the
// e2e server: who it is, where it may be seeded, and its account, built from
// the same pieces as local sign-up (lib/auth/local-provider.ts, which itself
// imports 'server-only' and so cannot run under tsx). Its credits are
// granted by lib/billing/demo-seed.ts.
import { sql } from 'drizzle-orm';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import type { Tx } from '@/lib/db/pool';
import { localUsers } from './local-users';
import { hashPassword } from './password';
import { ensureProfile } from './profiles';

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

/** The demo login the sign-in page shows: only on the embedded database, the one place it is seeded. */
export function demoLoginFor(databaseUrl: string | undefined): { email: string; password: string } | null {
  if (databaseUrl === undefined || !isEmbeddedUrl(databaseUrl)) return null;
  return { email: DEMO_ORGANISER.email, password: DEMO_ORGANISER.password };
}

/**
 * The demo organiser's user and profile in the caller's transaction (its empty
 * credit account comes with the profile); repeating it changes nothing.
 * Returns its id and whether it was created now.
 */
export async function ensureDemoUser(tx: Tx): Promise<{ userId: string; created: boolean }> {
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
      .values({ email: DEMO_ORGANISER.email, encryptedPassword: await hashPassword(DEMO_ORGANISER.password), rawUserMetaData: { name: DEMO_ORGANISER.name } })
      .returning({ id: localUsers.id });
    if (!row) throw new Error('insert into auth.users returned no row');
    userId = row.id;
  }
  await ensureProfile(tx, userId, DEMO_ORGANISER.name);
  return { userId, created };
}
