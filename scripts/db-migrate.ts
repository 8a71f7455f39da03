import { isSupabaseUrl, migrateDatabase } from '../lib/db/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set. `npm run dev` migrates the embedded database by itself.');
  process.exit(1);
}
const supabase = isSupabaseUrl(url) || process.env.DATABASE_IS_SUPABASE === '1';
await migrateDatabase(url, { supabase });
console.log(`Migrations applied${supabase ? ' (Supabase target: supabase/local skipped)' : ''}.`);
