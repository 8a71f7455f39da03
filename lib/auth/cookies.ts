// The local provider's session cookie. Over HTTPS it is `__Host-session`
// (Secure, Path=/, no Domain: a sibling subdomain cannot set or shadow it), and
// only that name is read there; over plain http (development, e2e) `session`.
import { config } from '@/lib/config';

export const SESSION_COOKIE = 'session';
export const SECURE_SESSION_COOKIE = '__Host-session';
export const SESSION_DAYS = 30;

/** Production cookies are Secure even over plain http, unless INSECURE_COOKIES=1 (plain-http test setups). */
export function secureByDefault(): boolean {
  const { NODE_ENV, INSECURE_COOKIES } = config();
  return NODE_ENV === 'production' && !INSECURE_COOKIES;
}

/** Served over HTTPS: the URL says so, or the nearest proxy does (a client lying here only changes its own cookie's name). */
export function isHttps(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (proto === 'https') return true;
  try {
    return new URL(request.url).protocol === 'https:';
  } catch {
    return false;
  }
}

export function sessionCookieName(https: boolean): string {
  return https ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function sessionCookie(token: string, https = false, maxAgeSeconds = SESSION_DAYS * 24 * 3600): string {
  return [
    `${sessionCookieName(https)}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(https || secureByDefault() ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookie(https = false): string {
  return sessionCookie('', https, 0);
}

/** The session token this request carries under the name its scheme uses. */
export function readSessionToken(request: Request): string | undefined {
  return readCookie(request, sessionCookieName(isHttps(request)));
}

/**
 * A cookie's value, percent-decoded. A value that does not decode (`%`, `%zz`)
 * is treated as absent: a malformed cookie is ignored, never an error.
 */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
