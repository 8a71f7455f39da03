// Playwright fixtures for both projects.
//
//   import { test, expect } from '../support/fixtures';
//
//   test('…', async ({ page, organiser, api }) => {
//     // `organiser` is a NEW organiser, signed up through POST /api/auth/sign-up
//     // in this test's browser context: `page` is already signed in as them.
//     await organiser.grantCredits(2);        // → the new balance (the operator path)
//     const me = await api.get('/api/me');    // `api` = page.request: same cookies as the page
//     await page.goto('/events/new');
//   });
//
// The organiser is on the free plan with 0 credits; its password is
// E2E_PASSWORD. DEMO_ORGANISER (seeded by the e2e server) is there for sign-in
// tests; it is shared by all tests, so don't spend its credits.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import { localUsers } from '../../lib/auth/local-users';
import { grantCredits } from '../../lib/billing/credits';
import { createPool } from '../../lib/db/pool';
import * as schema from '../../lib/db/schema';
import { E2E_DB_URL_FILE } from './env';

export { DEMO_ORGANISER } from '../../lib/auth/demo-organiser';
export { expect };

export const E2E_PASSWORD = 'e2e-password-123';

export type Organiser = {
  id: string;
  email: string;
  name: string;
  password: string;
  /** Grants credits as `npm run credits:grant` does; resolves to the new balance. */
  grantCredits(amount: number, reason?: string): Promise<number>;
};

/** The e2e server's database, as scripts/e2e-server.ts recorded it. */
export function e2eDatabaseUrl(): string {
  try {
    return readFileSync(E2E_DB_URL_FILE, 'utf8').trim();
  } catch {
    throw new Error(`${E2E_DB_URL_FILE} is missing: the e2e server (scripts/e2e-server.ts) did not start`);
  }
}

/** Grants credits to the organiser with this email in the e2e database, through lib/billing. */
export async function grantCreditsTo(email: string, amount: number, reason = 'e2e'): Promise<number> {
  const pool = createPool(e2eDatabaseUrl(), 1);
  try {
    const db = drizzle(pool, { schema });
    const [user] = await db
      .select({ id: localUsers.id })
      .from(localUsers)
      .where(sql`lower(${localUsers.email}) = ${email.toLowerCase()}`)
      .limit(1);
    if (!user) throw new Error(`no organiser ${email} in the e2e database`);
    return await grantCredits(db, { teamId: user.id, amount, reason });
  } finally {
    await pool.end();
  }
}

/**
 * A client address of its own for a sign-up through the API (the e2e server
 * trusts one proxy hop), so the per-address sign-up limit counts test organisers apart.
 */
export function clientAddress(): string {
  const bytes = randomUUID().replace(/-/g, '');
  return `10.${parseInt(bytes.slice(0, 2), 16)}.${parseInt(bytes.slice(2, 4), 16)}.${parseInt(bytes.slice(4, 6), 16)}`;
}

export const test = base.extend<{ organiser: Organiser; api: APIRequestContext }>({
  api: async ({ page }, use) => {
    await use(page.request);
  },
  organiser: async ({ page }, use, testInfo) => {
    const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
    const name = `E2E ${testInfo.title.slice(0, 40)}`;
    const response = await page.request.post('/api/auth/sign-up', {
      data: { email, password: E2E_PASSWORD, name },
      headers: { 'x-forwarded-for': clientAddress() },
    });
    if (response.status() !== 201) throw new Error(`sign-up failed: ${response.status()} ${await response.text()}`);
    const body = (await response.json()) as { data: { user: { id: string } } };
    await use({
      id: body.data.user.id,
      email,
      name,
      password: E2E_PASSWORD,
      grantCredits: (amount, reason) => grantCreditsTo(email, amount, reason),
    });
  },
});
