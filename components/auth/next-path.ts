/** `next` only if it is a path on this site (not `//host` or `/\host`), else the events page. */
export function safeNextPath(next: string | null | undefined, fallback = '/events'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/sign-in') || next.startsWith('/sign-up')) return fallback;
  return next;
}
