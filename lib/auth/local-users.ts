// auth.users as the local provider sees it. Kept out of lib/db/schema.ts on
// purpose: drizzle-kit must never generate this table (Supabase owns it; on
// plain Postgres supabase/local creates it).
import { jsonb, pgSchema, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

const auth = pgSchema('auth');

export const localUsers = auth.table('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: varchar('email', { length: 255 }),
  encryptedPassword: varchar('encrypted_password', { length: 255 }),
  rawUserMetaData: jsonb('raw_user_meta_data').$type<{ name?: string }>(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).defaultNow(),
});
