import { randomUUID } from 'node:crypto';
import { isEmbeddedUrl } from '../../lib/db/embedded-url';
import { DEMO_ORGANISER, e2eDatabaseUrl, expect, test } from '../support/fixtures';
import { AuthPage } from '../pages/sign-in.po';
import { EventsPage } from '../pages/events.po';

test('sign up, land on the empty events page, sign out, sign in again', async ({ page }) => {
  const email = `ui-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct-horse-battery';
  const auth = new AuthPage(page);
  const events = new EventsPage(page);

  await auth.signUp(email, password, 'Ada Organiser');
  await page.waitForURL('**/events');
  await expect(events.emptyState()).toBeVisible();
  await expect(page.getByTestId('organiser')).toHaveText('Ada Organiser');
  await expect(events.creditBalance()).toHaveAttribute('data-balance', '0');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/sign-in');
  await page.goto('/events');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fevents$/);

  await auth.signIn(email, password);
  await page.waitForURL('**/events');
  await expect(events.emptyState()).toBeVisible();
});

test('a page that needs a session sends you to sign in and back to it', async ({ page, organiser }) => {
  await page.context().clearCookies();
  await page.goto('/billing');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fbilling$/);
  await new AuthPage(page).signIn(organiser.email, organiser.password, '/billing');
  await page.waitForURL('**/billing');
  await expect(page.getByTestId('billing-balance')).toHaveText('0');
});

test('sign-in ignores a next that leads to another site', async ({ page, organiser }) => {
  await page.context().clearCookies();
  await new AuthPage(page).signIn(organiser.email, organiser.password, '//evil.example.com/x');
  await page.waitForURL('**/events');
});

for (const [locale, message] of [
  ['en', 'Wrong email or password.'],
  ['ru', 'Неверная эл. почта или пароль.'],
] as const) {
  test(`a wrong password shows the error (${locale}) and keeps the email`, async ({ page, organiser }) => {
    await page.context().clearCookies();
    await page.context().addCookies([{ name: 'NEXT_LOCALE', value: locale, url: test.info().project.use.baseURL ?? '' }]);
    const auth = new AuthPage(page, locale);
    await auth.signIn(organiser.email, 'not-the-password');
    await expect(auth.error()).toHaveText(message);
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByLabel(locale === 'en' ? 'Email' : 'Эл. почта')).toHaveValue(organiser.email);
  });
}

test('sign-up shows field errors from the server and keeps the values', async ({ page, organiser }) => {
  await page.context().clearCookies();
  const auth = new AuthPage(page);
  await auth.signUp(organiser.email, 'long-enough-password');
  await expect(auth.error()).toHaveText('An account with this email already exists.');
  await expect(page.getByLabel('Email')).toHaveValue(organiser.email);
});

test('the sign-in page shows the demo login on the embedded default database only, and it signs in', async ({ page }) => {
  await page.context().clearCookies();
  const auth = new AuthPage(page);
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  if (!isEmbeddedUrl(e2eDatabaseUrl())) {
    // A DATABASE_URL may be shared or Supabase: a published password has no place there.
    await expect(auth.demoHint()).toHaveCount(0);
    return;
  }
  await expect(auth.demoHint()).toHaveText(`Demo organiser: ${DEMO_ORGANISER.email} / ${DEMO_ORGANISER.password}`);
  await auth.signIn(DEMO_ORGANISER.email, DEMO_ORGANISER.password);
  await page.waitForURL('**/events');
});
