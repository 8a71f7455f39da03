// The mail outbox: delivery throughput of the worker to a local SMTP server
// (smtp-server + mailparser in this process, so the numbers include parsing
// every message), and the delay from the COMMIT that wrote a message to the
// SMTP server's acceptance, p50/p99, for the app's worker (woken after the
// commit) and a polling-only `npm run worker`.
import { randomUUID } from 'node:crypto';
import { createDatabase, createPool, type Database } from '../../lib/db/pool';
import { outboxMessages } from '../../lib/db/schema';
import { afterCommit } from '../../lib/db/transaction';
import { startMailCatcher } from '../../lib/mail/catcher';
import { messageIdOf, outboxConfig, type OutboxConfig } from '../../lib/outbox/config';
import type { OutboxPayload } from '../../lib/outbox/payload';
import { wakeMail } from '../../lib/jobs/wake';
import { startMailWorker } from '../../lib/mail/worker';
import { percentile, runIfMain } from './measure';

const ORIGIN = 'http://bench.test';
const THROUGHPUT_MESSAGES = Number(process.env.BENCH_OUTBOX_MESSAGES ?? 2000);
const DELAY_MESSAGES = Number(process.env.BENCH_OUTBOX_DELAY_MESSAGES ?? 300);
const DELAY_RATE_PER_SECOND = 30;

function payload(i: number): OutboxPayload {
  const starts = new Date(Date.now() + 30 * 86_400_000);
  return {
    name: `Guest ${i}`,
    manageUrl: `/r/${randomUUID().replaceAll('-', '')}abcdefghijk`,
    event: {
      id: randomUUID(),
      slug: `bench-${i}`,
      title: 'Outbox bench meetup',
      description: 'Talks and tea',
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3 * 3_600_000).toISOString(),
      timezone: 'Europe/Moscow',
      location: { type: 'in_person', address: 'Tverskaya 1, Moscow' },
      status: 'published',
      version: 1,
      updatedAt: new Date().toISOString(),
    },
  };
}

const row = (i: number) => ({
  kind: 'registration_confirmed' as const,
  recipient: `guest-${i}@bench.test`,
  locale: i % 2 ? ('ru' as const) : ('en' as const),
  payload: payload(i),
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('outbox bench: timed out waiting for delivery');
    await new Promise((r) => setTimeout(r, 5));
  }
}

type ThroughputRow = { workers: number; messages: number; seconds: number; perSecond: number };
type DelayRow = { mode: string; messages: number; p50: number; p99: number; max: number };

async function throughput(db: Database, base: OutboxConfig, workers: number, messages = THROUGHPUT_MESSAGES): Promise<ThroughputRow> {
  const smtp = await startMailCatcher();
  // Queued first, then the workers start: pure delivery rate, no arrivals in the way.
  for (let i = 0; i < messages; i += 500) {
    await db.insert(outboxMessages).values(Array.from({ length: Math.min(500, messages - i) }, (_, j) => row(i + j)));
  }
  const t0 = performance.now();
  const running = Array.from({ length: workers }, () => startMailWorker({ db, config: { ...base, smtpUrl: smtp.url } }));
  await waitFor(() => smtp.messages.length >= messages, 300_000);
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(running.map((w) => w.stop()));
  await smtp.close();
  await db.delete(outboxMessages);
  return { workers, messages, seconds, perSecond: messages / seconds };
}

async function delay(db: Database, base: OutboxConfig, mode: 'woken' | 'polling'): Promise<DelayRow> {
  const committedAt = new Map<string, number>();
  const delays: number[] = [];
  const smtp = await startMailCatcher({
    onMessage: (mail) => {
      const t = committedAt.get(mail.messageId);
      if (t !== undefined) delays.push(mail.receivedAt - t);
    },
  });
  const worker = startMailWorker({ db, config: { ...base, smtpUrl: smtp.url }, nudgeable: mode === 'woken' });
  // Messages arrive at a steady rate, each committed in its own transaction.
  for (let i = 0; i < DELAY_MESSAGES; i++) {
    const tick = performance.now();
    const id = await db.transaction(async (tx) => {
      const [inserted] = await tx.insert(outboxMessages).values(row(i)).returning({ id: outboxMessages.id });
      // What lib/outbox/enqueue.ts does: wake this process's worker once the row commits.
      afterCommit(tx, wakeMail);
      return inserted?.id ?? '';
    });
    committedAt.set(messageIdOf(id, ORIGIN), Date.now());
    const wait = 1000 / DELAY_RATE_PER_SECOND - (performance.now() - tick);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await waitFor(() => delays.length >= DELAY_MESSAGES, 120_000);
  await worker.stop();
  await smtp.close();
  await db.delete(outboxMessages);
  delays.sort((a, b) => a - b);
  return {
    mode: mode === 'woken' ? 'app worker, woken after the commit (poll 1 s as a fallback)' : '`npm run worker`, polling every 1 s',
    messages: DELAY_MESSAGES,
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
    max: delays[delays.length - 1] ?? Number.NaN,
  };
}

export async function runOutboxBench(url: string, embedded: boolean): Promise<string> {
  const pool = createPool(url, embedded ? 1 : 8);
  const db: Database = createDatabase(pool);
  const base: OutboxConfig = { ...outboxConfig(), appOrigin: ORIGIN, pollMs: 1000 };
  try {
    await db.delete(outboxMessages);
    await throughput(db, base, 1, 200); // warm-up: first renders, time zone data, JIT
    const rates = [await throughput(db, base, 1), await throughput(db, base, 2)];
    const delays = [await delay(db, base, 'woken'), await delay(db, base, 'polling')];
    const f = (n: number) => n.toFixed(n < 10 ? 1 : 0);
    return [
      '## Mail outbox (issue 14)',
      '',
      `In-process against the same database: the real worker (\`lib/mail/worker.ts\` on \`lib/outbox/worker.ts\`: claim ${base.batchSize} with \`FOR UPDATE SKIP LOCKED\`, render ru/en text + HTML + \`.ics\`, nodemailer pool of ${base.smtpConnections} SMTP connections, mark sent) delivering confirmation mails to a local \`smtp-server\` that parses each with \`mailparser\` before answering 250, in the same process (so the figures include the server's work too).`,
      '',
      '| delivery | messages | seconds | mails/s |',
      '| --- | ---: | ---: | ---: |',
      ...rates.map((r) => `| ${r.workers} worker${r.workers > 1 ? 's' : ''}, ${r.messages} queued | ${r.messages} | ${r.seconds.toFixed(1)} | ${Math.round(r.perSecond)} |`),
      '',
      `Commit → SMTP acceptance: ${DELAY_MESSAGES} messages committed one per transaction at ${DELAY_RATE_PER_SECOND}/s, the delay from each COMMIT's return to the server accepting that Message-ID.`,
      '',
      '| worker | messages | p50 ms | p99 ms | max ms |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...delays.map((d) => `| ${d.mode} | ${d.messages} | ${f(d.p50)} | ${f(d.p99)} | ${f(d.max)} |`),
      '',
    ].join('\n');
  } finally {
    await pool.end();
  }
}

runIfMain(import.meta.url, async () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a migrated database');
  return runOutboxBench(url, false);
});
