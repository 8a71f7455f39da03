// The guest cookie: how requests without a session are told apart for
// idempotency (docs/api.md, "Public event pages and registrations").
import { readCookie } from '@/lib/auth/cookies';
import { hashToken } from '@/lib/tokens';
import { GUEST_COOKIE, GUEST_TOKEN, guestSetCookie, newGuestToken } from './guest-cookie';

/**
 * The guest's principal id: a SHA-256 of the cookie, so the records never
 * hold the cookie itself. null without a well-formed cookie.
 */
export function guestPrincipalId(request: Request): string | null {
  const token = readCookie(request, GUEST_COOKIE);
  if (!token || !GUEST_TOKEN.test(token)) return null;
  return hashToken(token);
}

/**
 * The Set-Cookie value that gives a visitor without a (well-formed) guest
 * cookie one. Public pages and public GETs send it; a mutation's answer never
 * does, so a retry is scoped as its first attempt was. null when the request has one.
 */
export function guestCookieFor(request: Request): string | null {
  if (guestPrincipalId(request) !== null) return null;
  return guestSetCookie(newGuestToken());
}
