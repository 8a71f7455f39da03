// The guest cookie's name, shape and Set-Cookie attributes. Edge-safe (Web
// Crypto only): proxy.ts gives it on public pages, lib/http/guest.ts on public GETs.
import { config } from '@/lib/config';

export const GUEST_COOKIE = 'guest';
export const GUEST_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;
export const GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600;

/** 192 random bits, base64url (32 characters). */
export function newGuestToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function hasGuestToken(value: string | undefined): boolean {
  return typeof value === 'string' && GUEST_TOKEN.test(value);
}

/** HttpOnly, SameSite=Lax, a year, Secure in production. */
export function guestSetCookie(token: string): string {
  const secure = config().NODE_ENV === 'production' ? '; Secure' : '';
  return `${GUEST_COOKIE}=${token}; Path=/; Max-Age=${GUEST_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax${secure}`;
}
