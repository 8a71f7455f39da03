// The bench rows of registrations: public registrations over HTTP (autocannon against a
// running `next start`), every request a first execution (new Idempotency-Key,
// new email), on ONE event (every request queues on that event's row lock)
// against the same load spread over 50 events. The instance must run with
// TRUST_PROXY_HOPS=1: requests carry X-Forwarded-For addresses, 20 per address
// and event (the limit's full allowance), so the per-address limit stays on and
// is paid on every request without capping the run.
//
// `DATABASE_URL=postgres://…/test npx tsx scripts/bench/registrations.ts` runs
// this section alone (its own build, database and instance) and prints it.
import { randomUUID } from 'node:crypto';
import autocannon, { type RequestSpec } from 'autocannon';
import { eventBody, request, signUp } from '../../tests/reliability/harness/client';
import { runIfMain } from './measure';

export type RegistrationRow = { label: string; events: number; concurrency: number; rps: number; p50: number; p99: number; requests: number; bad: number };

export const HOT = 'one event (all contending)';
export const SPREAD = 'spread over 50 events';
const SPREAD_EVENTS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
/** The bench's goal concurrency, and a lower one for context. */
const CONCURRENCY = [16, 64];

/** A header value only (198.18.0.0/15 is the benchmarking range; nothing is sent there). */
function forwardedFor(n: number): string {
  const a = Math.floor(n / 20);
  return `198.18.${(a >> 8) & 255}.${a & 255}`;
}

export async function runRegistrationsBench(baseUrl: string, log: (line: string) => void): Promise<RegistrationRow[]> {
  const host = await signUp(baseUrl, 'Registrations');
  const slugs: string[] = [];
  for (let i = 0; i < 1 + SPREAD_EVENTS; i++) {
    const res = await request(baseUrl, 'POST', '/api/events', {
      cookie: host.cookie,
      key: randomUUID(),
      body: eventBody({ title: `Registrations bench ${i}`, maxParticipants: 30, waitlist: true }),
    });
    if (res.status !== 201) throw new Error(`could not create a bench event: ${res.status} ${res.text}`);
    slugs.push((res.json as { data: { event: { slug: string } } }).data.event.slug);
  }
  const hot = slugs.slice(0, 1);
  const spread = slugs.slice(1);
  // One counter over the whole run: every request a new email, key and (every 20) address.
  let n = 0;

  const run = async (label: string, events: string[], concurrency: number, seconds = DURATION_SECONDS): Promise<RegistrationRow> => {
    const spec: RequestSpec = {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const i = n++;
        const slug = events[i % events.length];
        return {
          ...req,
          path: `/api/public/events/${slug}/registrations`,
          headers: { ...req.headers, 'idempotency-key': randomUUID(), 'x-forwarded-for': forwardedFor(i) },
          body: JSON.stringify({ name: `Guest ${i}`, email: `guest-${i}@example.com` }),
        };
      },
    };
    const r = await autocannon({ url: baseUrl, connections: concurrency, duration: seconds, requests: [spec] });
    const ok = r.statusCodeStats['201']?.count ?? 0;
    return {
      label,
      events: events.length,
      concurrency,
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      requests: r.requests.total,
      bad: r.requests.total - ok + r.errors + r.timeouts,
    };
  };

  log('registrations: warm-up');
  await run(HOT, hot, 4, 1);
  await run(SPREAD, spread, 4, 1);
  const rows: RegistrationRow[] = [];
  for (const c of CONCURRENCY) {
    // Alternated, so a change in the machine's other load hits both alike.
    log(`registrations: ${HOT} at concurrency ${c}`);
    rows.push(await run(HOT, hot, c));
    log(`registrations: ${SPREAD} at concurrency ${c}`);
    rows.push(await run(SPREAD, spread, c));
  }
  return rows;
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => x.toFixed(x < 10 ? 1 : 0);

/** The section of docs/benchmarks.md for these rows. */
export function registrationsSection(rows: RegistrationRow[], setup: string): string {
  const lines = [
    '## Public registrations: one hot event against 50 (issue 13)',
    '',
    `\`POST /api/public/events/:slug/registrations\`, every request a first execution (new key, new email; anonymous, no cookie), ${setup}. Goals at concurrency 64: the hot event keeps at least 0.5× the registrations/s of the spread case, and p99 under 500 ms. "Unexpected answers" counts anything but 201 (each event has 30 seats (the free plan's limit) with a waitlist, so all later ones are waitlisted, which costs the same).`,
    '',
    'What separates the two cases is only the event\'s row lock: every registration of one event holds it from its `SELECT … FOR UPDATE` to its `COMMIT` (the `INSERT`, whose trigger moves the seat counter, then one text with the mail\'s outbox row, the webhook deliveries, the idempotency record and `COMMIT` (`writeWithCommit`): two round trips after the lock, each waiting on the instance\'s busy event loop), so on the hot event those stretches run one after another, while over 50 events up to 10 (the pool) run side by side. The address\'s point and the one-email check were moved out of that stretch (issue 13; SSOT, "Registrations and seats").',
    '',
    '| events | concurrency | registrations/s | p50 ms | p99 ms | requests | unexpected answers | meets goal |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    const goals: { text: string; ok: boolean }[] = [];
    if (r.concurrency === 64) {
      goals.push({ text: 'p99 < 500 ms', ok: r.p99 < 500 });
      if (r.label === HOT) {
        const other = rows.find((s) => s.label === SPREAD && s.concurrency === r.concurrency);
        const ratio = other ? r.rps / other.rps : 0;
        goals.push({ text: `≥ 0.5× spread (${ratio.toFixed(2)}x)`, ok: ratio >= 0.5 });
      }
    }
    if (r.bad > 0) goals.push({ text: 'no unexpected answers', ok: false });
    const met = goals.every((g) => g.ok);
    const goal = goals.length ? `${met ? 'yes' : '**no**'}: ${goals.map((g) => `${g.text} ${g.ok ? '✓' : '✗'}`).join('; ')}` : '– (context)';
    lines.push(`| ${r.label} | ${r.concurrency} | ${n0(r.rps)} | ${ms(r.p50)} | ${ms(r.p99)} | ${n0(r.requests)} | ${r.bad} | ${goal} |`);
  }
  return lines.join('\n');
}

/** Alone: a build, a fresh database on DATABASE_URL's server, one instance with TRUST_PROXY_HOPS=1. */
async function standalone(): Promise<string> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('set DATABASE_URL (a Postgres server where the bench may create a database)');
  const { productionBuild } = await import('../../tests/reliability/harness/build');
  const { startInstance } = await import('../../tests/reliability/harness/instances');
  const { createTestDatabase } = await import('../../tests/setup/global-db');
  const { migrateDatabase } = await import('../../lib/db/migrate');
  const log = (line: string) => console.error(`[bench] ${line}`);
  const appDir = await productionBuild(log);
  const db = await createTestDatabase(server, `bench_reg_${Date.now()}_${process.pid}`);
  try {
    await migrateDatabase(db.url);
    const instance = await startInstance(appDir, { name: 'bench-registrations', env: { DATABASE_URL: db.url, TRUST_PROXY_HOPS: '1', LOG_LEVEL: 'silent' } });
    try {
      const rows = await runRegistrationsBench(instance.url, log);
      return registrationsSection(rows, `one \`next start\` with a pool of 10, ${DURATION_SECONDS} s per row after a warm-up`);
    } finally {
      await instance.stop();
    }
  } finally {
    await db.drop();
  }
}

runIfMain(import.meta.url, standalone);
