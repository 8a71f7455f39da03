// `npm run dev`'s warm-up: once Next answers, request the main pages and the
// API routes they call, one after another, so that `next dev` compiles them
// before the first person clicks (each first page otherwise waits 5–14 s on
// compilation). In the background: the dev server is usable meanwhile, and a
// failure is one line, never a crash. DEV_WARMUP=0 turns it off (lib/config.ts).

export type WarmUpOptions = {
  /** The app, e.g. http://localhost:3000. */
  baseUrl: string;
  /** The demo organiser on the embedded default: with it the signed-in pages are warmed too (and it signs out after). */
  signIn?: { email: string; password: string } | null;
  /** How long to wait for Next to answer at all. */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
  fetchImpl?: typeof fetch;
};

export type WarmUpResult = { requested: string[]; failed: string[]; ms: number };

/** Pages anyone can open (an unknown slug or token still compiles its route: a 404 is fine). */
const PUBLIC_PATHS = [
  '/sign-in',
  '/sign-up',
  '/api/me',
  '/e/warm-up',
  '/r/warm-up',
  '/o/warm-up',
  // The routes a guest's first POST goes to (a GET answers 404 or 405, and compiles them).
  '/api/public/events/warm-up/registrations',
  '/api/public/events/warm-up/orders',
];
/** The organiser's pages and the API routes they call. */
const SIGNED_IN_PATHS = ['/events', '/events/new', '/api/events', '/api/credits', '/billing', '/settings/integrations'];
/** One event's pages, when the organiser has one. */
const EVENT_PATHS = (id: string) => [
  `/events/${id}`,
  `/events/${id}/edit`,
  `/events/${id}/attendees`,
  `/api/events/${id}/registrations`,
  `/events/${id}/orders`,
  `/api/events/${id}/ticket-types`,
  `/events/${id}/check-in`,
  `/events/${id}/scan`,
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilReady(fetchImpl: typeof fetch, baseUrl: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      // Any answer (401 included) means Next is up.
      await (await fetchImpl(`${baseUrl}/api/me`, { redirect: 'manual' })).arrayBuffer();
      return true;
    } catch {
      await sleep(500);
    }
  }
  return false;
}

/** The session cookie of a sign-in, or null when it did not work. */
async function signInCookie(fetchImpl: typeof fetch, baseUrl: string, credentials: { email: string; password: string }): Promise<string | null> {
  const response = await fetchImpl(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  await response.arrayBuffer();
  if (!response.ok) return null;
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '');
  return cookies.filter((pair) => pair.includes('=')).join('; ') || null;
}

async function firstEventId(fetchImpl: typeof fetch, baseUrl: string, cookie: string): Promise<string | null> {
  try {
    const response = await fetchImpl(`${baseUrl}/api/events?limit=1`, { headers: { cookie } });
    const body = (await response.json()) as { data?: { events?: { id?: unknown }[] } };
    const id = body.data?.events?.[0]?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/** Requests the pages once each; resolves with what it did (it never throws). */
export async function warmUp(options: WarmUpOptions): Promise<WarmUpResult> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const requested: string[] = [];
  const failed: string[] = [];
  const get = async (path: string, cookie?: string) => {
    requested.push(path);
    try {
      const response = await fetchImpl(`${options.baseUrl}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      await response.arrayBuffer();
      if (response.status >= 500) failed.push(`${path} (${response.status})`);
    } catch (error) {
      failed.push(`${path} (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  try {
    if (!(await waitUntilReady(fetchImpl, options.baseUrl, options.readyTimeoutMs ?? 120_000))) {
      log('  Warm-up: skipped, the app did not answer.');
      return { requested, failed, ms: Date.now() - started };
    }
    for (const path of PUBLIC_PATHS) await get(path);
    const cookie = options.signIn ? await signInCookie(fetchImpl, options.baseUrl, options.signIn) : null;
    if (cookie) {
      for (const path of SIGNED_IN_PATHS) await get(path, cookie);
      const id = await firstEventId(fetchImpl, options.baseUrl, cookie);
      if (id) for (const path of EVENT_PATHS(id)) await get(path, cookie);
      await fetchImpl(`${options.baseUrl}/api/auth/sign-out`, {
        method: 'POST',
        headers: { cookie, origin: options.baseUrl, 'idempotency-key': crypto.randomUUID() },
      }).then((response) => response.arrayBuffer(), () => undefined);
    }
  } catch (error) {
    failed.push(error instanceof Error ? error.message : String(error));
  }
  const ms = Date.now() - started;
  const problems = failed.length > 0 ? `; failed: ${failed.join(', ')}` : '';
  log(`  Warm-up: ${requested.length} pages and API routes compiled in ${(ms / 1000).toFixed(0)} s${problems} (DEV_WARMUP=0 turns this off).`);
  return { requested, failed, ms };
}
