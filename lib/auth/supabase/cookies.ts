// Cookies between @supabase/ssr and our Request / Set-Cookie flow: the library
// reads every cookie of the request and hands back the ones to write, which we
// serialize into Set-Cookie strings for the route wrapper to append.
import type { CookieOptions } from '@supabase/ssr';

/** @supabase/ssr's session cookie: `sb-<project ref>-auth-token`, or its chunks `.0`, `.1`, … */
export const SUPABASE_SESSION_COOKIE = /^sb-.+-auth-token(\.\d+)?$/;

export function requestCookies(request: Request): { name: string; value: string }[] {
  const header = request.headers.get('cookie');
  if (!header) return [];
  const out: { name: string; value: string }[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // A malformed escape is kept as sent; the library then treats it as no session.
    }
    if (name) out.push({ name, value });
  }
  return out;
}

export function hasSupabaseSession(request: Request): boolean {
  return requestCookies(request).some((c) => SUPABASE_SESSION_COOKIE.test(c.name) && c.value !== '');
}

export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`);
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.domain) parts.push(`Domain=${options.domain}`);
  parts.push(`Path=${options.path ?? '/'}`);
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.partitioned) parts.push('Partitioned');
  const sameSite = options.sameSite === true ? 'strict' : options.sameSite;
  if (sameSite) parts.push(`SameSite=${sameSite[0]?.toUpperCase()}${sameSite.slice(1)}`);
  return parts.join('; ');
}

/** Set-Cookie strings that delete every Supabase session cookie the request carried. */
export function clearSessionCookies(request: Request, options: CookieOptions): string[] {
  return requestCookies(request)
    .filter((c) => SUPABASE_SESSION_COOKIE.test(c.name))
    .map((c) => serializeCookie(c.name, '', { ...options, maxAge: 0 }));
}

// Sessions over ~3 KB are split into `.0`, `.1`, …, and the reader prefers the
// unsplit name when both exist. Sign-in and sign-up do not see the request's
// cookies, so a new session must also delete the other shapes an earlier one
// may have left, or the browser could keep presenting the old session.
const MAX_CLEARED_CHUNKS = 5;

export function replacingEarlierSession(writes: string[], options: CookieOptions): string[] {
  const names = writes.map((line) => line.slice(0, line.indexOf('=')));
  const session = names.find((name) => SUPABASE_SESSION_COOKIE.test(name));
  if (!session) return writes;
  const base = session.replace(/\.\d+$/, '');
  const stale = [base, ...Array.from({ length: MAX_CLEARED_CHUNKS }, (_, i) => `${base}.${i}`)].filter((n) => !names.includes(n));
  return [...stale.map((name) => serializeCookie(name, '', { ...options, maxAge: 0 })), ...writes];
}
