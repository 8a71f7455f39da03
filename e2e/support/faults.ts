// Network faults for one mutation, as QA names them: the first matching POST,
// PUT, PATCH or DELETE gets the fault; later requests pass untouched. Each
// returns `happened`, which resolves once the fault has happened, so a test
// can act at that moment (reload, open a tab, …). The start of the chaos kit.
import type { Page, Route } from '@playwright/test';

type Matcher = (url: URL) => boolean;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type Fault = { happened: Promise<void> };

async function onFirstMutation(page: Page, matches: Matcher, fault: (route: Route) => Promise<void>): Promise<Fault> {
  let hit = false;
  let happened!: () => void;
  const done = new Promise<void>((resolve) => (happened = resolve));
  await page.route(matches, async (route) => {
    if (hit || !MUTATIONS.has(route.request().method())) return route.continue();
    hit = true;
    await fault(route);
    happened();
    await new Promise(() => {}); // the answer never arrives (a reload or navigation ends the wait)
  });
  return { happened: done };
}

/** The request reaches the server and commits; the browser never hears back. `happened` once the server has answered. */
export function holdAnswerAfterCommit(page: Page, matches: Matcher): Promise<Fault> {
  return onFirstMutation(page, matches, async (route) => {
    await route.fetch();
  });
}

/** Offline right after the click: the request never reaches the server. `happened` once it was sent (and swallowed). */
export function offlineAfterSend(page: Page, matches: Matcher): Promise<Fault> {
  return onFirstMutation(page, matches, async () => {});
}
