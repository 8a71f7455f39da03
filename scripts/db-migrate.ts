import { configOrExit } from '../lib/config';
import { isSupabaseUrl, migrateDatabase } from '../lib/db/migrate';

const settings = configOrExit();

const url = settings.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set. `npm run dev` migrates the embedded database by itself.');
  process.exit(1);
}
const supabase = isSupabaseUrl(url) || settings.DATABASE_IS_SUPABASE;
await migrateDatabase(url, { supabase });
console.log(`Migrations applied${supabase ? ' (Supabase target: supabase/local skipped)' : ''}.`);
