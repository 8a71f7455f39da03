// The HTTP rows of the benchmark: autocannon against a running instance, real
// sessions, one figure per row from one run.
import { randomUUID } from 'node:crypto';
import autocannon, { type RequestContext, type RequestSpec, type Result } from 'autocannon';
import { eventBody, request, signUp } from '../../tests/reliability/harness/client';

export type HttpRow = {
  label: string;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Answers that were not what the row expects (errors, timeouts, unexpected statuses). */
  bad: number;
  replays?: number;
};

const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 8);

// The HTTP ladder's extra rows, at these concurrencies; the ladder
// itself (ratios and goals) is drawn in scripts/bench.ts from the same run.
export const STATIC_FILE = 'static file (GET /icon.svg, prerendered at build)';
export const NO_SESSION = 'route wrapper without a session (GET /api/me, 401)';
export const ME = 'GET /api/me (signed in)';
export const LADDER_CONCURRENCY = [1, 16];

/** One table row from an autocannon result; `bad` counts the answers of the wrong status. */
export function row(label: string, concurrency: number, result: Result, bad: number, replays?: number): HttpRow {
  return {
    label,
    concurrency,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    bad: bad + result.errors + result.timeouts,
    ...(replays === undefined ? {} : { replays }),
  };
}

export function statusCount(result: Result, status: number): number {
  return result.statusCodeStats[String(status)]?.count ?? 0;
}

export async function runHttpBench(baseUrl: string, log: (line: string) => void): Promise<HttpRow[]> {
  const [reader, writer, replayer, mixer] = await Promise.all([
    signUp(baseUrl, 'Reader'),
    signUp(baseUrl, 'Writer'),
    signUp(baseUrl, 'Replayer'),
    signUp(baseUrl, 'Mixer'),
  ]);
  const body = JSON.stringify(eventBody({ title: 'Bench event' }));
  // The reader's list is a realistic page: 20 events.
  for (let i = 0; i < 20; i++) {
    await request(baseUrl, 'POST', '/api/events', { cookie: reader.cookie, key: randomUUID(), rawBody: body });
  }
  const storedKey = randomUUID();
  const stored = await request(baseUrl, 'POST', '/api/events', { cookie: replayer.cookie, key: storedKey, rawBody: body });
  if (stored.status !== 201) throw new Error(`could not store the replayed key: ${stored.status} ${stored.text}`);

  const json = { 'content-type': 'application/json' };
  const scenarios: Record<string, (c: number, seconds?: number) => Promise<HttpRow>> = {
    // The ladder's lower rungs: what the server costs before our code, and our
    // route wrapper before a session is looked up.
    [STATIC_FILE]: async (c, seconds = DURATION_SECONDS) => {
      const r = await autocannon({ url: `${baseUrl}/icon.svg`, connections: c, duration: seconds });
      return row(STATIC_FILE, c, r, r.requests.total - statusCount(r, 200));
    },
    [NO_SESSION]: async (c, seconds = DURATION_SECONDS) => {
      // No cookie: the wrapper answers 401 in the envelope, the expected answer here.
      const r = await autocannon({ url: `${baseUrl}/api/me`, connections: c, duration: seconds });
      return row(NO_SESSION, c, r, r.requests.total - statusCount(r, 401));
    },
    [ME]: async (c, seconds = DURATION_SECONDS) => {
      const r = await autocannon({ url: `${baseUrl}/api/me`, connections: c, duration: seconds, headers: { cookie: reader.cookie } });
      return row(ME, c, r, r.requests.total - statusCount(r, 200));
    },
    'GET /api/events (no write)': async (c, seconds = DURATION_SECONDS) => {
      const r = await autocannon({ url: `${baseUrl}/api/events`, connections: c, duration: seconds, headers: { cookie: reader.cookie } });
      return row('GET /api/events (no write)', c, r, r.requests.total - statusCount(r, 200));
    },
    'POST /api/events, new key': async (c, seconds = DURATION_SECONDS) => {
      const r = await autocannon({
        url: baseUrl,
        connections: c,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/api/events',
            headers: { ...json, cookie: writer.cookie },
            body,
            // A fresh Idempotency-Key per request: every one is a first execution.
            setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
          },
        ],
      });
      return row('POST /api/events, new key', c, r, r.requests.total - statusCount(r, 201));
    },
    'POST /api/events, replay of one key': async (c, seconds = DURATION_SECONDS) => {
      const r = await autocannon({
        url: `${baseUrl}/api/events`,
        connections: c,
        duration: seconds,
        method: 'POST',
        headers: { ...json, cookie: replayer.cookie, 'idempotency-key': storedKey },
        body,
      });
      return row('POST /api/events, replay of one key', c, r, r.requests.total - statusCount(r, 201));
    },
    'mixed: 90 % new keys, 10 % retries': async (c, seconds = DURATION_SECONDS) => {
      // Retries reuse keys whose first answer has come back (a client retries after a lost answer).
      const recent: string[] = [];
      let replays = 0;
      const spec: RequestSpec = {
        method: 'POST',
        path: '/api/events',
        headers: { ...json, cookie: mixer.cookie },
        body,
        setupRequest: (req: RequestSpec, context: RequestContext) => {
          const retry = recent.length > 0 && Math.random() < 0.1;
          const key = retry ? recent[Math.floor(Math.random() * recent.length)]! : randomUUID();
          context.key = key;
          return { ...req, headers: { ...req.headers, 'idempotency-key': key } };
        },
        onResponse: (status, _body, context, headers) => {
          if (headers['x-idempotency-replay'] === 'true') replays++;
          if (status === 201 && typeof context.key === 'string') {
            recent.push(context.key);
            if (recent.length > 200) recent.shift();
          }
        },
      };
      const r = await autocannon({ url: baseUrl, connections: c, duration: seconds, requests: [spec] });
      return row('mixed: 90 % new keys, 10 % retries', c, r, r.requests.total - statusCount(r, 201), replays);
    },
  };

  // Warm every route (module load, JIT, query plans) before measuring.
  for (const [name, run] of Object.entries(scenarios)) {
    log(`warm-up: ${name}`);
    await run(4, 1);
  }
  const rows: HttpRow[] = [];
  for (const name of [STATIC_FILE, NO_SESSION, ME]) {
    for (const c of LADDER_CONCURRENCY) {
      log(`run: ${name} at concurrency ${c}`);
      rows.push(await scenarios[name]!(c));
    }
  }
  for (const name of ['GET /api/events (no write)', 'POST /api/events, new key', 'POST /api/events, replay of one key']) {
    for (const c of [1, 16, 64]) {
      log(`run: ${name} at concurrency ${c}`);
      rows.push(await scenarios[name]!(c));
    }
  }
  for (const c of [16, 64]) {
    log(`run: mixed at concurrency ${c}`);
    rows.push(await scenarios['mixed: 90 % new keys, 10 % retries']!(c));
  }
  return rows;
}
