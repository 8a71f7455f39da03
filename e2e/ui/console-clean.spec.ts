// The main journey leaves a clean console (issue 34, "the newcomer's first
// minutes"): an organiser signs in, creates an event, opens its public page; a
// guest registers and opens the manage page; in English and in Russian. Any
// console error or warning, or an uncaught page error, in either browser fails
// the test; so does a Node warning (a DeprecationWarning above all) on the app
// server's stderr, which scripts/e2e-server.ts copies to E2E_SERVER_STDERR_FILE.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { E2E_SERVER_STDERR_FILE } from '../support/env';
import { expect, test } from '../support/fixtures';
import { AuthPage } from '../pages/sign-in.po';
import { EventFormPage, futureWallTime } from '../pages/event-form.po';
import { uniqueTitle } from './helpers';

/** What the page said on its console (errors and warnings) or threw, tagged with where. */
function watch(page: Page, heard: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') heard.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => heard.push(`uncaught on ${page.url()}: ${error.message}`));
}

/** Node's own warnings in the server's stderr: "(node:1234) [DEP0005] DeprecationWarning: …", "(node:1234) Warning: …". */
function serverWarnings(): string[] {
  const text = readFileSync(E2E_SERVER_STDERR_FILE, 'utf8');
  return text.split('\n').filter((line) => /\(node:\d+\) (\[[A-Z0-9]+\] )?\w*Warning/.test(line));
}

const WORDS = {
  en: { locale: 'en-US', name: 'Name', email: 'Email', registered: "You're registered." },
  ru: { locale: 'ru-RU', name: 'Имя', email: 'Эл. почта', registered: 'Вы зарегистрированы.' },
} as const;

for (const lang of ['en', 'ru'] as const) {
  test(`the main journey leaves no console error or warning, and the server no DeprecationWarning (${lang})`, async ({ browser, baseURL, organiser }) => {
    const words = WORDS[lang];
    const heard: string[] = [];
    const contexts: BrowserContext[] = [];
    const open = async () => {
      const context = await browser.newContext({ baseURL, locale: words.locale });
      contexts.push(context);
      const page = await context.newPage();
      watch(page, heard);
      return page;
    };

    // The organiser signs in (a fresh browser: no session yet), lands on the events list, creates an event.
    const page = await open();
    await new AuthPage(page, lang).signIn(organiser.email, organiser.password);
    await page.waitForURL(/\/events$/);
    const form = new EventFormPage(page, lang);
    await form.gotoNew();
    await form.fill({ title: uniqueTitle('Console'), startsAt: futureWallTime(12), endsAt: futureWallTime(12, '21:00'), maxParticipants: 10 });
    await form.submitButton().click();
    await form.expectLandedOnEvent();
    const publicPath = (await page.getByTestId('event-public-link').textContent())?.trim() ?? '';
    expect(publicPath).toMatch(/^\/e\//);
    await page.goto(publicPath);
    await expect(page.getByTestId('register-submit')).toBeEnabled();

    // A guest registers and opens the manage page.
    const guest = await open();
    await guest.goto(publicPath);
    await guest.getByLabel(words.name).fill('Clean Console');
    await guest.getByLabel(words.email).fill(`console-${lang}-${Date.now()}@example.com`);
    await guest.getByTestId('register-submit').click();
    await expect(guest.getByTestId('registration-result')).toContainText(words.registered);
    await guest.getByTestId('manage-link').click();
    await expect(guest.getByTestId('registration-status')).toBeVisible();

    for (const context of contexts) await context.close();
    expect(heard, 'console errors and warnings on the main journey').toEqual([]);
    expect(serverWarnings(), "Node warnings in the app server's stderr").toEqual([]);
  });
}
