export const SESSION_COOKIE = 'session';
export const SESSION_DAYS = 30;

function secure(): boolean {
  return process.env.NODE_ENV === 'production' && process.env.INSECURE_COOKIES !== '1';
}

export function sessionCookie(token: string, maxAgeSeconds = SESSION_DAYS * 24 * 3600): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure() ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookie(): string {
  return sessionCookie('', 0);
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
