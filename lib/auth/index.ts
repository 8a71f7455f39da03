import 'server-only';
import { localProvider } from './local-provider';
import { createSupabaseProvider } from './supabase-provider';
import { supabaseConfig, type SupabaseConfig } from './supabase/config';
import type { AuthProvider } from './types';

export type { AuthProvider, AuthUser, CurrentUser, RequestMeta } from './types';

let supabase: { config: SupabaseConfig; provider: AuthProvider } | undefined;

/**
 * The auth provider, chosen by configuration at call time: Supabase Auth when
 * NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_ANON_KEY are set, else the
 * local accounts in this database.
 */
export function authProvider(): AuthProvider {
  const config = supabaseConfig();
  if (!config) return localProvider;
  if (supabase?.config.url !== config.url || supabase.config.anonKey !== config.anonKey) {
    supabase = { config, provider: createSupabaseProvider(config) };
  }
  return supabase.provider;
}
