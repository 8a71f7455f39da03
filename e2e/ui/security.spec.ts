// Security in Chromium: every page runs under the nonce Content-Security-Policy
// with no violation (Next's scripts carry the nonce, so the forms hydrate and
// work), and ?next= never leads off the app after the sign-in form.
import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures';
import { AuthPage } from '../pages/sign-in.po';

function watchCsp(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (/content security policy|refused to (load|execute|apply|connect|frame)/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test('pages run under a nonce CSP with no violations, and the forms work', async ({ page, organiser }) => {
  const problems = watchCsp(page);
  // Reported by the browser itself, whatever the console wording.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.context().clearCookies();
  const response = await page.goto('/sign-in');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src [^;]*'nonce-[^']+'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  expect(response?.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');

  await new AuthPage(page).signIn(organiser.email, organiser.password);
  await page.waitForURL('**/events');
  for (const path of ['/events/new', '/billing', '/events']) {
    const res = await page.goto(path);
    expect(res?.headers()['content-security-policy'], path).toMatch(/'nonce-/);
    await page.waitForLoadState('networkidle');
  }
  // Client-side navigation works too (the router's scripts run under the policy).
  await page.getByRole('link', { name: 'Billing' }).first().click();
  await page.waitForURL('**/billing');
  expect(problems).toEqual([]);
});

test('after the sign-in form, next=/%09/evil.example lands on /events, not on another host', async ({ page, organiser }) => {
  await page.context().clearCookies();
  await page.goto('/sign-in?next=/%09/evil.example');
  await page.getByLabel('Email').fill(organiser.email);
  await page.getByLabel('Password').fill(organiser.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL('**/events');
  expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL ?? '').host);
  // Signed in now: the page's own server redirect refuses it the same way.
  await page.goto('/sign-in?next=/%09/evil.example');
  await page.waitForURL('**/events');
});
