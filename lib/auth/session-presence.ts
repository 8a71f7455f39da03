// For proxy.ts, which only redirects visitors without a session cookie: which
// cookie that is depends on the provider, and only lib/auth knows it. Nothing
// is verified here; pages do that through getSessionUser().
import { readSessionToken } from './cookies';
import { supabaseConfig } from './supabase/config';
import { hasSupabaseSession } from './supabase/cookies';

export function hasSessionCookie(request: Request): boolean {
  return supabaseConfig() ? hasSupabaseSession(request) : Boolean(readSessionToken(request));
}
