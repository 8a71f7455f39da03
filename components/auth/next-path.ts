// Where to go after signing in or up (`?next=`): only a path of this app
// (docs/api.md, "Abuse limits and headers"). The check is what a browser would do with the value:
// it is resolved as a URL against the app's origin (the WHATWG parser drops
// tabs and newlines and reads `\` as `/`, so `/%09/evil.example` and
// `/\evil.example` become `//evil.example`), and accepted only when the
// origin is unchanged. What comes back is the resolved path itself, which
// resolves to the same place again, never the raw input.
const BASE = 'https://app.invalid';
// C0 controls, DEL and backslash: never in a path of ours, always a trick.
const SUSPICIOUS = /[\u0000-\u001f\u007f\\]/;

export function safeNextPath(next: string | null | undefined, fallback = '/events'): string {
  if (!next || next.length > 2048 || !next.startsWith('/') || SUSPICIOUS.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A same-origin URL can still have a path that reads as another host on its own (`/.//evil`).
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return fallback;
  let again: URL;
  try {
    again = new URL(path, BASE);
  } catch {
    return fallback;
  }
  if (again.href !== url.href) return fallback;
  if (/^\/sign-(in|up)(\/|$)/.test(url.pathname)) return fallback;
  return path;
}
