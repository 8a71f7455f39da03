// Shared by playwright.config.ts, scripts/e2e-server.ts and the fixtures.
import path from 'node:path';

/** E2E_PORT lets two people (or two runs) on one machine use different ports. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** scripts/e2e-server.ts writes the fresh database's URL here for the fixtures. */
export const E2E_DB_URL_FILE = path.resolve(`.data/e2e-${E2E_PORT}-db-url`);
/** scripts/e2e-server.ts copies the app server's stderr here (e2e/ui/console-clean.spec.ts looks for warnings in it). */
export const E2E_SERVER_STDERR_FILE = path.resolve(`.data/e2e-${E2E_PORT}-server-stderr.log`);
