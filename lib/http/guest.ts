// The guest cookie: how requests without a session are told apart for
// idempotency (docs/api.md, "Public event pages and registrations").
import { createHash, randomBytes } from 'node:crypto';
import { readCookie } from '@/lib/auth/cookies';

const GUEST_COOKIE = 'guest';
const GUEST_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * The guest's principal id: a SHA-256 of the cookie, so the records never
 * hold the cookie itself. null without a well-formed cookie.
 */
export function guestPrincipalId(request: Request): string | null {
  const token = readCookie(request, GUEST_COOKIE);
  if (!token || !GUEST_TOKEN.test(token)) return null;
  return createHash('sha256').update(token).digest('hex');
}

const GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600;

/**
 * The Set-Cookie value that gives a visitor without a (well-formed) guest
 * cookie one: 128+ random bits, HttpOnly, SameSite=Lax, Secure in production.
 * Public pages and public GETs send it; a mutation's answer never does, so a
 * retry is scoped as its first attempt was. null when the request has one.
 */
export function guestCookieFor(request: Request): string | null {
  if (guestPrincipalId(request) !== null) return null;
  const token = randomBytes(24).toString('base64url');
  const secure = process.env.NODE_ENV === 'production' ? '; Secure' : '';
  return `${GUEST_COOKIE}=${token}; Path=/; Max-Age=${GUEST_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure}`;
}
