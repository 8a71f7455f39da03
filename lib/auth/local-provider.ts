import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/pool';
import { isUniqueViolation } from '@/lib/db/errors';
import { profiles, sessions } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { hashToken, newToken } from '@/lib/tokens';
import { clearSessionCookie, isHttps, readSessionToken, SESSION_DAYS, sessionCookie } from './cookies';
import { localUsers } from './local-users';
import { ensureProfile, nameFromEmail } from './profiles';
import { decoyHash, hashPassword, verifyPassword } from './password';
import { consumeSignInAttempt, consumeSignUp } from './rate-limit';
import type { AuthProvider, AuthUser, CurrentUser } from './types';

// The expiry slides forward at most once a day per session: one write a day,
// not one per request.
const SLIDE_AFTER_SECONDS = 24 * 3600;

async function startSession(user: AuthUser, https: boolean): Promise<CurrentUser> {
  const token = newToken();
  await getDb()
    .insert(sessions)
    .values({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})`,
    });
  return { user, cookies: [sessionCookie(token, https)] };
}

export const localProvider: AuthProvider = {
  name: 'local',

  async currentUser(request) {
    const token = readSessionToken(request);
    if (!token || token.length > 100) return null;
    const db = getDb();
    const rows = await db
      .select({
        sessionId: sessions.id,
        id: localUsers.id,
        email: localUsers.email,
        name: profiles.name,
        secondsLeft: sql<number>`extract(epoch from (${sessions.expiresAt} - now()))::int`,
      })
      .from(sessions)
      .innerJoin(localUsers, eq(localUsers.id, sessions.userId))
      .leftJoin(profiles, eq(profiles.userId, sessions.userId))
      .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    const user: AuthUser = { id: row.id, email: row.email ?? '', name: row.name };
    const cookies: string[] = [];
    if (row.secondsLeft < SESSION_DAYS * 24 * 3600 - SLIDE_AFTER_SECONDS) {
      await db
        .update(sessions)
        .set({ expiresAt: sql`now() + make_interval(days => ${SESSION_DAYS})` })
        .where(eq(sessions.id, row.sessionId));
      cookies.push(sessionCookie(token, isHttps(request)));
    }
    return { user, cookies };
  },

  async signUp(input, meta) {
    // Before any argon2 work: the limit bounds the CPU an address can spend too.
    await consumeSignUp(meta.ip);
    const passwordHash = await hashPassword(input.password);
    const name = input.name?.trim() || nameFromEmail(input.email);
    try {
      const user = await getDb().transaction(async (tx) => {
        const [created] = await tx
          .insert(localUsers)
          .values({ email: input.email, encryptedPassword: passwordHash, rawUserMetaData: name ? { name } : {} })
          .returning({ id: localUsers.id, email: localUsers.email });
        if (!created) throw new Error('insert into auth.users returned no row');
        await ensureProfile(tx, created.id, name);
        return { id: created.id, email: created.email ?? input.email, name };
      });
      return startSession(user, meta.https ?? false);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('EMAIL_TAKEN');
      throw error;
    }
  },

  async signIn(input, meta) {
    // Counted before the password is checked, atomically: a burst cannot outrun it.
    const attempt = await consumeSignInAttempt(input.email, meta.ip);
    const rows = await getDb()
      .select({ id: localUsers.id, email: localUsers.email, hash: localUsers.encryptedPassword, name: profiles.name })
      .from(localUsers)
      .leftJoin(profiles, eq(profiles.userId, localUsers.id))
      .where(sql`lower(${localUsers.email}) = ${input.email}`)
      .limit(1);
    const row = rows[0];
    const ok = await verifyPassword(row?.hash ?? (await decoyHash()), input.password);
    if (!row?.hash || !ok) throw new AppError('INVALID_CREDENTIALS');
    await attempt.giveBack();
    return startSession({ id: row.id, email: row.email ?? input.email, name: row.name }, meta.https ?? false);
  },

  async signOut(request) {
    const token = readSessionToken(request);
    if (token) {
      await getDb()
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt)));
    }
    return [clearSessionCookie(isHttps(request))];
  },
};
