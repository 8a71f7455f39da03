// `npm run test:pooler`: the idempotency, credit, auth and mail outbox suites through
// PgBouncer in transaction mode (see tests/setup/pooler-db.ts). Kept out of
// vitest.config.ts so the default runs do not need pgbouncer installed.
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import './tests/setup/time-zone.ts';

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: {
      '@': root,
      'server-only': path.join(root, 'tests/setup/empty.ts'),
    },
  },
  test: {
    name: 'pooler',
    include: [
      'tests/integration/events.test.ts',
      'tests/integration/idempotency*.test.ts',
      'tests/integration/auth.test.ts',
      'tests/integration/supabase-auth.test.ts',
      'tests/integration/rls.test.ts',
      'tests/integration/mail.test.ts',
      // The bearer lookup and its rate limit through the pooler. webhooks.test.ts (its claim is the mail
      // outbox's, which mail.test.ts runs here) stays in the integration stage only: its waits and child
      // process made this stage the longest chain of CI.
      'tests/integration/api-keys.test.ts',
    ],
    globalSetup: ['tests/setup/pooler-db.ts'],
    setupFiles: ['tests/setup/env.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
