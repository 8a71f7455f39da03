import path from 'node:path';
import { defineConfig } from 'vitest/config';
import './tests/setup/time-zone.ts';

const root = import.meta.dirname;
const resolve = {
  alias: {
    '@': root,
    'server-only': path.join(root, 'tests/setup/empty.ts'),
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'components/**/*.test.{ts,tsx}'],
          environment: 'node',
          // A test's first call may load a large module (the zone data) while CI's build shares the two cores: no unit test asserts speed.
          testTimeout: 30_000,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/setup/global-db.ts'],
          setupFiles: ['tests/setup/env.ts'],
          // Upper bounds, not speed goals: a busy machine may be several times slower than CI's own run.
          testTimeout: 150_000,
          hookTimeout: 150_000,
        },
      },
      {
        resolve,
        test: {
          // Real `next start` processes against real Postgres: npm run test:reliability.
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          globalSetup: ['tests/reliability/harness/global-setup.ts'],
          setupFiles: ['tests/reliability/harness/env.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          // In CI the suite shares two cores with the e2e run: an instance may take well over a minute to answer its first request.
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
