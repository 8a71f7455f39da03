// The replay kit for QA: record the mutations a page sends, send one again
// with the page's own session, and check that the API replayed the stored
// answer instead of running the operation twice. See e2e/README.md.
import { expect, type APIResponse, type Page, type Request } from '@playwright/test';

export type CapturedRequest = {
  method: string;
  url: string;
  /** The headers worth sending again (Idempotency-Key, If-Match, Content-Type, Origin…), lower-case names. */
  headers: Record<string, string>;
  idempotencyKey: string | null;
  /** The raw body, byte for byte as the page sent it. */
  body: string | null;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
};

export type CapturedResponse = { status: number; headers: Record<string, string>; body: unknown };

export type Exchange = { request: CapturedRequest; response: CapturedResponse | null };

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REPLAYED_HEADERS = ['idempotency-key', 'if-match', 'content-type', 'accept', 'origin', 'accept-language'];

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function capture(request: Request): Promise<CapturedRequest> {
  const all = await request.allHeaders();
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) if (all[name] !== undefined) headers[name] = all[name];
  const body = request.postData();
  return {
    method: request.method(),
    url: request.url(),
    headers,
    idempotencyKey: all['idempotency-key'] ?? null,
    body,
    json: parseJson(body),
  };
}

export type MutationRecorder = {
  /** Every mutation so far, in the order the page sent them; `response` is null until it arrives (or if it never does). */
  readonly exchanges: Exchange[];
  /** Resolves with the first exchange (already sent or still to come) that matches and has its response. */
  waitFor(match: (exchange: Exchange) => boolean, timeoutMs?: number): Promise<Exchange & { response: CapturedResponse }>;
  stop(): void;
};

/**
 * Starts recording the page's mutations under /api (or those whose URL matches `urlFilter`).
 * Call it before the action that sends them.
 */
export function recordMutations(page: Page, urlFilter: (url: string) => boolean = (url) => new URL(url).pathname.startsWith('/api/')): MutationRecorder {
  const exchanges: Exchange[] = [];
  const pending = new Map<Request, Promise<Exchange>>();
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const wake of waiters) wake();
  };

  const onRequest = (request: Request) => {
    if (!MUTATIONS.has(request.method()) || !urlFilter(request.url())) return;
    pending.set(
      request,
      capture(request).then((captured) => {
        const exchange: Exchange = { request: captured, response: null };
        exchanges.push(exchange);
        notify();
        return exchange;
      }),
    );
  };
  const onFinished = async (request: Request) => {
    const exchange = await pending.get(request);
    if (!exchange) return;
    const response = await request.response();
    if (response) {
      const text = await response.text().catch(() => null);
      exchange.response = { status: response.status(), headers: await response.allHeaders(), body: parseJson(text) };
    }
    notify();
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);

  return {
    exchanges,
    async waitFor(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = exchanges.find((e) => e.response && match(e));
        if (found) return found as Exchange & { response: CapturedResponse };
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching mutation within ${timeoutMs} ms; seen: ${describe(exchanges)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 250));
          waiters.add(wake);
        });
      }
    },
    stop() {
      page.off('request', onRequest);
      page.off('requestfinished', onFinished);
    },
  };
}

function describe(exchanges: Exchange[]): string {
  return exchanges.map((e) => `${e.request.method} ${e.request.url} → ${e.response?.status ?? 'no response'}`).join('; ') || 'none';
}

/** Sends a captured request again, same method, URL, key and body, with the page's cookies. */
export async function replayRequest(page: Page, request: CapturedRequest): Promise<APIResponse> {
  return page.request.fetch(request.url, {
    method: request.method,
    headers: request.headers,
    data: request.body ?? undefined,
    failOnStatusCode: false,
    maxRedirects: 0,
  });
}

export type ReplayResult = { status: number; headers: Record<string, string>; body: unknown };

/**
 * Replays the exchange's request and asserts it was a replay: the same status
 * and JSON body as the first answer, and `X-Idempotency-Replay: true`.
 */
export async function expectReplay(page: Page, exchange: Exchange): Promise<ReplayResult> {
  if (!exchange.response) throw new Error(`the original ${exchange.request.method} ${exchange.request.url} has no response to compare with`);
  const replayed = await replayRequest(page, exchange.request);
  const text = await replayed.text();
  const result: ReplayResult = { status: replayed.status(), headers: replayed.headers(), body: parseJson(text) };
  expect(result.headers['x-idempotency-replay'], 'X-Idempotency-Replay header').toBe('true');
  expect(result.status, 'replayed status').toBe(exchange.response.status);
  expect(result.body, 'replayed body').toEqual(exchange.response.body);
  return result;
}
