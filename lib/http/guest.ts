// The guest cookie: how requests without a session are told apart for
// idempotency (docs/api.md, "Public event pages and registrations").
import { createHash } from 'node:crypto';
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
