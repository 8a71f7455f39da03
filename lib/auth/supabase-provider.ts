import 'server-only';
// Supabase Auth behind the AuthProvider interface. Thin on purpose: accounts,
// passwords, sessions and token refresh are Supabase's; this file adapts its
// client to our Request / Set-Cookie flow, maps its errors onto our codes, and
// makes sure every user it sees has a profile and a credit account.
// Types only at the top: the libraries themselves are loaded on first use, so a
// process on the local provider never loads them (nor sees their Node 20 warning).
import type { CookieOptions } from '@supabase/ssr';
import type { AuthError, SupabaseClient, User, WebSocketLikeConstructor } from '@supabase/supabase-js';
import { eq } from 'drizzle-orm';
import { getDb } from '@/lib/db/pool';
import { profiles } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { secureByDefault } from './cookies';
import { ensureProfile, nameFromEmail } from './profiles';
import { consumeSignInAttempt, consumeSignUp } from './rate-limit';
import type { SupabaseConfig } from './supabase/config';
import { clearSessionCookies, hasSupabaseSession, replacingEarlierSession, requestCookies, serializeCookie } from './supabase/cookies';
import type { AuthProvider, AuthUser, CurrentUser } from './types';

// A hung Supabase must not hold a request (and its pool slot) forever.
const AUTH_TIMEOUT_MS = 10_000;
// Supabase answers 429 without Retry-After; its buckets refill over minutes.
const DEFAULT_RETRY_AFTER_SECONDS = 60;
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

function cookieOptions(): CookieOptions {
  return {
    path: '/',
    sameSite: 'lax',
    // Only our server reads these cookies (no Supabase client runs in the browser), so scripts need not.
    httpOnly: true,
    secure: secureByDefault(),
  };
}

// supabase-js builds a Realtime client in every client and, on Node 20, finds
// no WebSocket and throws. This app never opens a Realtime channel, so it gets
// a transport that refuses to be used instead of a WebSocket dependency.
const noRealtime = function noRealtime(): never {
  throw new Error('Supabase Realtime is not used by this app');
} as unknown as WebSocketLikeConstructor;

type RequestClient = {
  client: SupabaseClient;
  /** Set-Cookie strings the client asked for while handling this request. */
  cookies: string[];
  /** Retry-After of the last 429 Supabase answered, if it sent one. */
  limited: { retryAfter: string | null };
};

/** One client per request: its cookie storage is this request's cookies, nothing is shared between users. */
async function clientFor(config: SupabaseConfig, request: Request | null): Promise<RequestClient> {
  const { createServerClient } = await import('@supabase/ssr');
  const cookies: string[] = [];
  const limited: RequestClient['limited'] = { retryAfter: null };
  const fetchWithLimits: typeof fetch = async (input, init) => {
    const response = await fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(AUTH_TIMEOUT_MS) });
    if (response.status === 429) limited.retryAfter = response.headers.get('retry-after');
    return response;
  };
  const client = createServerClient(config.url, config.anonKey, {
    cookieOptions: cookieOptions(),
    cookies: {
      getAll: () => (request ? requestCookies(request) : []),
      setAll: (writes) => {
        for (const { name, value, options } of writes) cookies.push(serializeCookie(name, value, options));
      },
    },
    global: { fetch: fetchWithLimits },
    realtime: { transport: noRealtime },
  });
  return { client, cookies, limited };
}

function retryAfterSeconds(header: string | null): number {
  const seconds = header ? Number.parseInt(header, 10) : Number.NaN;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_RETRY_AFTER_SECONDS;
}

/** Supabase Auth's error codes (https://supabase.com/docs/guides/auth/debugging/error-codes) onto ours. */
async function mapAuthError(error: AuthError, retryAfter: string | null): Promise<Error> {
  const { isAuthRetryableFetchError } = await import('@supabase/supabase-js');
  if (isAuthRetryableFetchError(error)) {
    return new AppError('SERVICE_UNAVAILABLE', { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
  }
  const code = error.code ?? '';
  if (error.status === 429 || code === 'over_request_rate_limit' || code === 'over_email_send_rate_limit') {
    return new AppError('RATE_LIMITED', { retryAfterSeconds: retryAfterSeconds(retryAfter) });
  }
  // An unconfirmed email is reported like a wrong password: same answer, no account probing.
  if (code === 'invalid_credentials' || code === 'email_not_confirmed') return new AppError('INVALID_CREDENTIALS');
  if (code === 'user_already_exists' || code === 'email_exists') return new AppError('EMAIL_TAKEN');
  if (code === 'weak_password') return new AppError('VALIDATION_FAILED', { fieldErrors: { password: ['invalid'] } });
  return error;
}

function metadataName(user: User): string | null {
  const name: unknown = user.user_metadata?.name;
  // Metadata may have been written elsewhere; profiles.name holds at most 100 characters.
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 100) : null;
}

/**
 * The organiser behind a Supabase user. The first time a user is seen (signed
 * up elsewhere, e.g. the Supabase dashboard, or sign-up's own write lost) the
 * profile and credit account are created; auth.users is Supabase's and already
 * has the row the foreign keys point at.
 */
async function organiser(user: User): Promise<AuthUser> {
  const db = getDb();
  const rows = await db.select({ name: profiles.name }).from(profiles).where(eq(profiles.userId, user.id)).limit(1);
  let name: string | null;
  if (rows[0]) {
    name = rows[0].name;
  } else {
    name = metadataName(user) ?? nameFromEmail(user.email ?? '');
    await ensureProfile(db, user.id, name);
  }
  return { id: user.id, email: user.email ?? '', name };
}

export function createSupabaseProvider(config: SupabaseConfig): AuthProvider {
  return {
    name: 'supabase',

    async currentUser(request) {
      // No session cookie, no round trip to Supabase.
      if (!hasSupabaseSession(request)) return null;
      const c = await clientFor(config, request);
      // getUser() asks Supabase, so a revoked session or a forged cookie is refused
      // (getSession() would trust the cookie). It refreshes an expired access token first.
      const { data, error } = await c.client.auth.getUser();
      if (error) {
        const mapped = await mapAuthError(error, c.limited.retryAfter);
        if (mapped instanceof AppError && mapped.code === 'SERVICE_UNAVAILABLE') throw mapped;
        return null;
      }
      if (!data.user) return null;
      return { user: await organiser(data.user), cookies: c.cookies };
    },

    async signUp(input, meta) {
      await consumeSignUp(meta.ip);
      const c = await clientFor(config, null);
      const name = input.name?.trim() || nameFromEmail(input.email);
      const { data, error } = await c.client.auth.signUp({
        email: input.email,
        password: input.password,
        options: { data: name ? { name } : {} },
      });
      if (error) throw await mapAuthError(error, c.limited.retryAfter);
      const user = data.user;
      if (!user) throw new Error('Supabase sign-up returned no user');
      // With "Confirm email" on, an existing address gets a look-alike user with
      // no identities instead of an error (Supabase hides who has an account).
      if (!data.session && user.identities?.length === 0) throw new AppError('EMAIL_TAKEN');
      await ensureProfile(getDb(), user.id, name);
      // No session when Supabase waits for the email to be confirmed: 201 without a cookie.
      return { user: { id: user.id, email: user.email ?? input.email, name }, cookies: replacingEarlierSession(c.cookies, cookieOptions()) };
    },

    async signIn(input, meta) {
      // Our own per-email and per-IP counters: Supabase's limits are per IP, and
      // every request reaches it from this server's IP.
      // Counted before Supabase checks the password, atomically: a burst cannot outrun it.
      const attempt = await consumeSignInAttempt(input.email, meta.ip);
      const c = await clientFor(config, null);
      const { data, error } = await c.client.auth.signInWithPassword({ email: input.email, password: input.password });
      if (error) {
        const mapped = await mapAuthError(error, c.limited.retryAfter);
        // Only a checked and wrong password keeps its point; Supabase being down or limiting us does not.
        if (!(mapped instanceof AppError && mapped.code === 'INVALID_CREDENTIALS')) await attempt.giveBack();
        throw mapped;
      }
      await attempt.giveBack();
      const current: CurrentUser = { user: await organiser(data.user), cookies: replacingEarlierSession(c.cookies, cookieOptions()) };
      return current;
    },

    async signOut(request) {
      const cleared = clearSessionCookies(request, cookieOptions());
      if (!hasSupabaseSession(request)) return cleared;
      const c = await clientFor(config, request);
      // 'local' ends this browser's session only, as the local provider does.
      // The client drops the cookies before it calls Supabase, so signing out
      // never fails on the network; a failed revoke (returned, not thrown) is not the user's problem.
      await c.client.auth.signOut({ scope: 'local' });
      // Whatever the client wrote, every session cookie the request carried goes.
      const written = new Set(c.cookies.map((s) => s.slice(0, s.indexOf('='))));
      return [...c.cookies, ...cleared.filter((s) => !written.has(s.slice(0, s.indexOf('='))))];
    },
  };
}
