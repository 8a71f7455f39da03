// The headers of docs/api.md ("Abuse limits and headers"). Pages get a
// Content-Security-Policy with a fresh nonce from proxy.ts; Next reads the
// policy from the request and puts the nonce on every script it renders.
// API answers (JSON, never a document) get a policy that allows nothing.
// The rest (nosniff, Referrer-Policy, frame denial, HSTS in production) is in
// next.config.js for every path. Edge-safe: no Node modules.
import { config } from '@/lib/config';

export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** Where covers come from besides the app itself: the Supabase project when media are kept in its Storage (lib/media/storage.ts). */
function mediaOrigin(): string {
  const c = config();
  if (!c.NEXT_PUBLIC_SUPABASE_URL || !c.SUPABASE_SERVICE_ROLE_KEY) return '';
  return ` ${new URL(c.NEXT_PUBLIC_SUPABASE_URL).origin}`;
}

/** The pages' policy. Development adds what React's dev build and Next's hot reload need (eval, websockets). */
export function pageContentSecurityPolicy(nonce: string, dev = config().NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Radix and Next set style attributes; a nonce here would switch 'unsafe-inline' off.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${mediaOrigin()}`,
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    // The door scanner's service worker (public/scan-sw.js): without it, worker-src falls back to script-src, whose 'strict-dynamic' ignores 'self'.
    "worker-src 'self'",
    // The scanner's camera preview is a MediaStream.
    "media-src 'self' blob: mediastream:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
