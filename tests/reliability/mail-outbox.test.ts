// The mail outbox on real processes: registrations through a
// `next start` instance on real Postgres, delivery by `npm run worker`
// processes (and, for the 1,000, by the instance's own in-process worker) to a
// real SMTP server started here, where every message is counted.
// - kill -9 after the SMTP server accepted and before the row was marked sent:
//   each message arrives exactly once more, with the same Message-ID;
// - SMTP down for a minute: nothing lost, all delivered once it is back;
// - two worker processes: no message sent twice;
// - 1,000 registrations: 1,000 confirmation mails at the server (a tenth in CI,
//   the full 1,000 under `npm run test:soak`).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../lib/db/embedded';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '../../lib/mail/catcher';
import { request, signUp, eventBody, type Organiser } from './harness/client';
import { startInstance, type AppInstance } from './harness/instances';
import { METRICS_TOKEN, pooled, startScenario, withApplicationName, type Scenario } from './harness/scenario';
import { soakSize } from './harness/soak';
import { startWorker, type WorkerProcess } from './harness/workers';

const MAILS = soakSize(1000);

let scenario: Scenario;
let app: AppInstance;
let organiser: Organiser;
const workers: WorkerProcess[] = [];
const catchers: MailCatcher[] = [];

beforeAll(async () => {
  // Registrations only: this instance's own worker is off, the tests' workers deliver.
  scenario = await startScenario('mail', { instances: [{ name: 'a', env: { OUTBOX_WORKER: 'off', TRUST_PROXY_HOPS: '1' } }] });
  app = scenario.instances[0] as AppInstance;
  organiser = await signUp(app.url, 'Mail Organiser');
});

// Each test's workers end with it, passed or not, so none competes in the next one.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill9()));
});

afterAll(async () => {
  await Promise.all(catchers.map((c) => c.close()));
  await scenario?.close();
});

async function catcher(port = 0): Promise<MailCatcher> {
  const c = await startMailCatcher({ port });
  catchers.push(c);
  return c;
}

async function worker(name: string, smtpUrl: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const w = await startWorker(name, {
    DATABASE_URL: withApplicationName(scenario.database.url),
    SMTP_URL: smtpUrl,
    APP_ORIGIN: 'http://events.test',
    OUTBOX_POLL_MS: '100',
    ...env,
  });
  workers.push(w);
  return w;
}

let addressCounter = 0;
const nextAddress = () => {
  addressCounter += 1;
  return `198.18.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
};

async function createEvent(base: string, owner: Organiser, capacity: number): Promise<string> {
  const res = await request(base, 'POST', '/api/events', {
    cookie: owner.cookie,
    key: randomUUID(),
    body: eventBody({ title: `Mail event ${randomUUID().slice(0, 6)}`, maxParticipants: capacity }),
  });
  expect(res.status, res.text).toBe(201);
  return (res.json as { data: { event: { slug: string } } }).data.event.slug;
}

/** n registrations with distinct emails (and client addresses), `concurrency` at once; their emails. */
async function registerMany(base: string, slug: string, n: number, prefix: string, concurrency = 16): Promise<string[]> {
  const emails = Array.from({ length: n }, (_, i) => `${prefix}-${i}-${randomUUID().slice(0, 6)}@example.com`);
  const statuses = await pooled(
    emails.map((email, i) => async () => {
      const res = await request(base, 'POST', `/api/public/events/${slug}/registrations`, {
        key: randomUUID(),
        body: { name: `Guest ${i}`, email, locale: i % 2 ? 'ru' : 'en' },
        headers: { 'x-forwarded-for': nextAddress() },
      });
      return res.status;
    }),
    concurrency,
  );
  expect(statuses.filter((s) => s !== 201)).toEqual([]);
  return emails;
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const to = (mails: CaughtMail[], emails: string[]) => {
  const wanted = new Set(emails);
  return mails.filter((m) => m.to.some((t) => wanted.has(t)));
};

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

async function rowsFor(emails: string[]): Promise<{ id: string; status: string; attempts: number; claimed_by: string | null; last_error: string | null }[]> {
  const result = await scenario.database.pool.query(
    'select id, status, attempts, claimed_by, last_error from outbox_messages where recipient = any($1::text[])',
    [emails],
  );
  return result.rows;
}

describe('mail outbox on real processes', () => {
  it('kill -9 between SMTP acceptance and mark-sent: each message is delivered exactly once more, with the same Message-ID', async () => {
    const smtp = await catcher();
    const slug = await createEvent(app.url, organiser, 30);
    const emails = await registerMany(app.url, slug, 5, 'killed');
    // This worker stalls 60 s after every acceptance, before marking the row sent.
    const doomed = await worker('doomed', smtp.url, {
      ENABLE_FAULT_INJECTION: '1',
      FAULT_DELAY_AFTER_SMTP_ACCEPT_MS: '60000',
      // Short, so the test waits little; not too short, for SMTP timeouts are a third of it
      // and a loaded machine must not time a send out (that would be a retry, not this test).
      OUTBOX_LEASE_MS: '10000',
    });
    await until('the 5 mails accepted once', () => to(smtp.messages, emails).length === 5, 30_000);
    await doomed.kill9();
    const stranded = await rowsFor(emails);
    expect(stranded.map((r) => r.status)).toEqual(['sending', 'sending', 'sending', 'sending', 'sending']);

    // A healthy worker takes the rows over once their lease lapsed, and sends each again.
    await worker('rescuer', smtp.url, { OUTBOX_LEASE_MS: '10000' });
    await until('all 5 rows sent', async () => (await rowsFor(emails)).every((r) => r.status === 'sent'), 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing else trickles in
    const mails = to(smtp.messages, emails);
    expect(mails).toHaveLength(10);
    const ids = countBy(mails.map((m) => m.messageId));
    expect(ids.size).toBe(5);
    expect([...ids.values()]).toEqual([2, 2, 2, 2, 2]);
    const rows = await rowsFor(emails);
    expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set(rows.map((r) => `<outbox-${r.id}@events.test>`)));
    expect(rows.every((r) => r.attempts === 2)).toBe(true);
  });

  it('SMTP down for a minute: nothing lost, every message delivered once after it returns', { timeout: 180_000 }, async () => {
    const port = await findFreePort(25_250);
    const down = await catcher(port);
    await down.close(); // the server is down from the start: connections are refused
    // Retries every 2 to 10 s; enough attempts to outlast the outage (the default 8 would give up after about 50 s here).
    await worker('patient', `smtp://127.0.0.1:${port}`, { OUTBOX_RETRY_BASE_MS: '2000', OUTBOX_RETRY_MAX_MS: '10000', OUTBOX_MAX_ATTEMPTS: '30' });
    const slug = await createEvent(app.url, organiser, 30);
    const emails = await registerMany(app.url, slug, 20, 'outage');

    await new Promise((r) => setTimeout(r, 60_000));
    const during = await rowsFor(emails);
    expect(during).toHaveLength(20);
    // Nothing sent, nothing given up, every message tried and failing (one may be mid-attempt, claimed, right now);
    // and the retries are under way.
    expect(during.every((r) => (r.status === 'pending' || r.status === 'sending') && r.attempts >= 1)).toBe(true);
    expect(during.some((r) => r.attempts >= 2)).toBe(true);
    expect(during.every((r) => (r.last_error ?? '').length > 0)).toBe(true);

    const back = await catcher(port);
    await until('all 20 delivered', () => to(back.messages, emails).length >= 20, 60_000);
    await until('all 20 rows sent', async () => (await rowsFor(emails)).every((r) => r.status === 'sent'), 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const mails = to(back.messages, emails);
    expect(mails).toHaveLength(20);
    expect(new Set(mails.flatMap((m) => m.to))).toEqual(new Set(emails));
  });

  it('two worker processes: no message is sent twice', async () => {
    const smtp = await catcher();
    // Small batches, so the two really share the work.
    const env = { OUTBOX_BATCH_SIZE: '5', OUTBOX_POLL_MS: '20' };
    await Promise.all([worker('one', smtp.url, env), worker('two', smtp.url, env)]);
    const slugs = await Promise.all(Array.from({ length: 7 }, () => createEvent(app.url, organiser, 30)));
    const emails = (await Promise.all(slugs.map((slug, i) => registerMany(app.url, slug, 30, `pair${i}`, 8)))).flat();
    expect(emails).toHaveLength(210);
    await until('all 210 rows sent', async () => (await rowsFor(emails)).every((r) => r.status === 'sent'), 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const mails = to(smtp.messages, emails);
    const ids = countBy(mails.map((m) => m.messageId));
    expect(mails).toHaveLength(210);
    expect(ids.size).toBe(210);
    const rows = await rowsFor(emails);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    const byWorker = countBy(rows.map((r) => r.claimed_by ?? ''));
    console.log(`[mail-outbox] two workers: ${[...byWorker.values()].join(' + ')} messages`);
    expect(byWorker.size).toBe(2);
  });

  it(`${MAILS} registrations through npm start-style instances: ${MAILS} confirmation mails at the SMTP server`, { timeout: 480_000 }, async () => {
    const smtp = await catcher();
    // The app's own in-process worker this time, as `npm start` runs it.
    const mailing = await startInstance(inject('appDir'), {
      name: 'mail-b',
      env: {
        DATABASE_URL: withApplicationName(scenario.database.url),
        METRICS_TOKEN,
        LOG_LEVEL: 'silent',
        TRUST_PROXY_HOPS: '1',
        SMTP_URL: smtp.url,
        APP_ORIGIN: 'http://events.test',
      },
    });
    try {
      const owner = await signUp(mailing.url, 'Thousand Organiser');
      const slugs = await Promise.all(Array.from({ length: MAILS / 25 }, () => createEvent(mailing.url, owner, 25)));
      const emails = (await pooled(slugs.map((slug, i) => () => registerMany(mailing.url, slug, 25, `k${i}`, 4)), 8)).flat();
      expect(emails).toHaveLength(MAILS);
      // Each confirmation renders and signs its ticket's QR code: in CI, beside the e2e run, that takes minutes for 1,000.
      await until(`${MAILS} mails at the SMTP server`, () => to(smtp.messages, emails).length >= MAILS, 300_000);
      await new Promise((r) => setTimeout(r, 1000));
      const mails = to(smtp.messages, emails);
      expect(mails).toHaveLength(MAILS);
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(MAILS);
      expect(new Set(mails.flatMap((m) => m.to))).toEqual(new Set(emails));
      const confirmedSubjects = mails.filter((m) => m.subject.startsWith("You're registered:") || m.subject.startsWith('Вы зарегистрированы:'));
      expect(confirmedSubjects).toHaveLength(MAILS);
      // The scrape agrees: nothing left in the outbox, all of them sent by this process.
      await until('outbox rows marked sent', async () => (await rowsFor(emails)).every((r) => r.status === 'sent'), 30_000);
      const metrics = await request(mailing.url, 'GET', '/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(metrics.text).toMatch(/^event_app_outbox_depth 0$/m);
      expect(metrics.text).toMatch(new RegExp(`^event_app_outbox_deliveries_total\\{outcome="sent"\\} ${MAILS}$`, 'm'));
    } finally {
      await mailing.stop();
    }
  });
});
