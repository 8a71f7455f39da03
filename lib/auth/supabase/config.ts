import { config } from '@/lib/config';

export type SupabaseConfig = { url: string; anonKey: string };

/** Both public settings, or null: then the local provider runs. Read at call time, never cached. */
export function supabaseConfig(): SupabaseConfig | null {
  const { NEXT_PUBLIC_SUPABASE_URL: url, NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey } = config();
  return url && anonKey ? { url, anonKey } : null;
}
