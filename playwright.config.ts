import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E_BASE_URL } from './e2e/support/env';

// Debian's Chromium when there is one; otherwise Playwright's own (npx playwright install chromium).
// Headless runs take Debian's headless shell when it is installed (package
// chromium-headless-shell: the same engine without the full browser's UI
// processes; 2.5x faster over 20 chaos cells on CI's 2 cores, README "Time in
// CI"); a headed run (--headed, --ui, --debug) needs the full browser.
const headed = Boolean(process.env.PWDEBUG) || process.argv.some((arg) => arg === '--headed' || arg === '--ui' || arg === '--debug');
const debianBrowser = [...(headed ? [] : ['/usr/bin/chromium-headless-shell']), '/usr/bin/chromium'].find((file) => existsSync(file));
const executablePath = process.env.CHROMIUM_PATH || debianBrowser;

export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  // Playwright's default is half the cores: one worker on CI's 2 cores, though a
  // cell mostly waits (on the server, retry backoff, held requests), not computes.
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : process.env.CI ? 3 : undefined,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // An upper bound, not a speed goal: in CI three workers share two cores, and the longest tests (two deliveries and axe scans, a purchase and a publish) passed 30 s when the reliability suite ran beside them.
  timeout: process.env.CI ? 60_000 : 30_000,
  // In CI also a JSON report, from which scripts/chaos-matrix-table.ts writes the chaos matrix table (e2e/README.md).
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }], ['json', { outputFile: '.data/e2e-results.json' }]] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: E2E_BASE_URL,
    // Traces keep the DOM at every step of a failed test; no screencast (CPU a 2-core run needs for the tests).
    trace: { mode: 'retain-on-failure', screenshots: false },
    launchOptions: {
      executablePath,
      // The machine's network is closed: without these Chromium waits on
      // background connections (updates, sync, QUIC probes) and hangs.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'api', testMatch: 'api/**/*.spec.ts' },
    { name: 'ui', testMatch: 'ui/**/*.spec.ts' },
  ],
  webServer: {
    command: 'tsx scripts/e2e-server.ts',
    // 401 counts as up: the app answers and its database does too.
    url: `${E2E_BASE_URL}/api/me`,
    // A fresh build and database every run; never someone else's server.
    reuseExistingServer: false,
    timeout: 10 * 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets the script stop Next and drop its database (the default is SIGKILL).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
