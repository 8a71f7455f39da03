import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <secret>` matches the configured secret. Unset
 * secrets match nothing. Both sides are hashed first, so the comparison takes
 * the same time whatever the length and content of the guess.
 */
export function hasBearerSecret(request: Request, expected: string | undefined): boolean {
  const given = request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
  if (!expected || !given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The secret of `Authorization: Bearer <secret>`, or null when the request carries none. */
export function bearerToken(request: Request): string | null {
  return request.headers.get('authorization')?.match(/^Bearer (\S+)$/i)?.[1] ?? null;
}
