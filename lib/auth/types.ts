export type AuthUser = { id: string; email: string; name: string | null };

/** Set-Cookie values a provider wants on the response (new session, refreshed or cleared cookie). */
export type CookieWrites = string[];

export type CurrentUser = { user: AuthUser; cookies: CookieWrites };

/** `ip`: the client address as lib/http/client-address.ts resolves it; `https`: served over HTTPS. */
export type RequestMeta = { ip: string; userAgent: string | null; https?: boolean };

/**
 * What the rest of the app knows of authentication. The local provider (this
 * repo's accounts and sessions) and the Supabase Auth provider implement it;
 * nothing outside lib/auth knows which one runs.
 */
export interface AuthProvider {
  readonly name: 'local' | 'supabase';
  currentUser(request: Request): Promise<CurrentUser | null>;
  signUp(input: { email: string; password: string; name?: string }, meta: RequestMeta): Promise<CurrentUser>;
  signIn(input: { email: string; password: string }, meta: RequestMeta): Promise<CurrentUser>;
  signOut(request: Request): Promise<CookieWrites>;
}
