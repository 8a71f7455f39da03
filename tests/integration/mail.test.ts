// Mail through the transactional outbox: the six mails in both
// languages, delivered by the real worker over real SMTP to a server started
// here (smtp-server, parsed with mailparser), through the real route handlers
// on a real database. A rolled-back registration writes nothing; a replayed
// one writes nothing new.
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATCH as patchEvent } from '@/app/api/events/[id]/route';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { POST as postCancel } from '@/app/api/public/registrations/[token]/cancel/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { outboxMessages } from '@/lib/db/schema';
import { MESSAGES } from '@/lib/i18n/messages';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@/lib/mail/catcher';
import { outboxConfig } from '@/lib/outbox/config';
import { startMailWorker } from '@/lib/mail/worker';
import type { OutboxWorker } from '@/lib/outbox/worker';
import { register } from '@/lib/registrations/service';
import { call, createOrganiser, uniqueEmail, type Organiser } from './support';
import { validEventBody, type EventBody } from '../support/event-body';

const ORIGIN = 'http://mail.test:3000';
let catcher: MailCatcher;
let worker: OutboxWorker;
let organiser: Organiser;

beforeAll(async () => {
  catcher = await startMailCatcher();
  worker = startMailWorker({
    db: getDb(),
    config: { ...outboxConfig(), smtpUrl: catcher.url, appOrigin: ORIGIN, from: 'Events <events@mail.test>', pollMs: 50, retryBaseMs: 100 },
  });
  organiser = await createOrganiser('Mail Organiser');
});

afterAll(async () => {
  await worker?.stop();
  await catcher?.close();
  await closeDb();
});

type Locale = 'en' | 'ru';
type EventJson = { id: string; slug: string; version: number; title: string };
type Created = { registration: { id: string; status: string; position: number | null }; manageUrl: string };

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;

async function createEvent(overrides: Partial<EventBody> = {}): Promise<EventJson> {
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body: validEventBody(overrides) });
  expect(res.status, res.text).toBe(201);
  return data<{ event: EventJson }>(res).event;
}

function registerFor(slug: string, body: { name: string; email: string; locale?: Locale }, key = randomUUID()) {
  return call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, { key, body, params: { slug } });
}

async function registered(slug: string, email: string, locale: Locale, name = 'Ann'): Promise<Created> {
  const res = await registerFor(slug, { name, email, locale });
  expect(res.status, res.text).toBe(201);
  return data<Created>(res);
}

async function patch(event: EventJson, body: Record<string, unknown>): Promise<EventJson> {
  const res = await call(patchEvent, 'PATCH', `/api/events/${event.id}`, {
    cookie: organiser.cookie,
    key: randomUUID(),
    body,
    params: { id: event.id },
    headers: { 'if-match': `"${event.version}"` },
  });
  expect(res.status, res.text).toBe(200);
  return data<{ event: EventJson }>(res).event;
}

/** The mails caught for `to`, once there are `count` of them (waits up to 15 s). */
/**
 * A recipient's mails in the order their changes committed (the outbox rows'
 * order, which the Date header carries): the worker's lanes may deliver two
 * mails of one registrant in either order.
 */
async function mailsTo(to: string, count = 1): Promise<CaughtMail[]> {
  // This file's worker drains the whole shared database's outbox, oldest first: the other files'
  // mails (hundreds, each confirmation with its QR image) may be ahead of this one in CI.
  const deadline = Date.now() + 120_000;
  let found: CaughtMail[];
  for (;;) {
    found = catcher.messages.filter((m) => m.to.includes(to));
    if (found.length >= count || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const rowIdOf = (m: CaughtMail) => /^<outbox-([0-9a-f-]+)@/.exec(m.messageId)?.[1] ?? '';
  const ids = found.map(rowIdOf);
  const rows = ids.length ? await getDb().select({ id: outboxMessages.id, createdAt: outboxMessages.createdAt }).from(outboxMessages).where(inArray(outboxMessages.id, ids)) : [];
  const committedAt = new Map(rows.map((r) => [r.id, r.createdAt.getTime()]));
  return found.sort((a, b) => (committedAt.get(rowIdOf(a)) ?? 0) - (committedAt.get(rowIdOf(b)) ?? 0));
}

const subjectOf = (locale: Locale, kind: keyof (typeof MESSAGES)['en']['email']['subject'], title: string) =>
  MESSAGES[locale].email.subject[kind].replace('{title}', title);

async function outboxRowsFor(email: string) {
  return getDb().select().from(outboxMessages).where(eq(outboxMessages.recipient, email));
}

describe.each(['en', 'ru'] as const)('the six mails in %s', (locale) => {
  // User content with markup: it must arrive escaped in the HTML, verbatim in the text.
  const title = `Meetup <b>${locale}</b> & "friends"`;

  it('registration confirmed: to the registrant, with the manage link and the .ics attached', async () => {
    const event = await createEvent({ title });
    const email = uniqueEmail(`confirmed-${locale}`);
    const created = await registered(event.slug, email, locale, '<script>alert(1)</script>');
    const [mail, extra] = await mailsTo(email);
    expect(extra).toBeUndefined();
    expect(mail?.subject).toBe(subjectOf(locale, 'registration_confirmed', title));
    expect(mail?.from).toBe('events@mail.test');
    expect(mail?.text).toContain(`${ORIGIN}${created.manageUrl}`);
    expect(mail?.text).toContain(`${ORIGIN}/e/${event.slug}`);
    expect(mail?.text).toContain(MESSAGES[locale].email.greeting.replace('{name}', '<script>alert(1)</script>'));
    // Escaped in the HTML: no markup of the user's survives.
    expect(mail?.html).not.toContain('<script>');
    expect(mail?.html).not.toContain('<b>');
    expect(mail?.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail?.html).toContain('Meetup &lt;b&gt;');
    expect(mail?.html).toContain(`href="${ORIGIN}${created.manageUrl}"`);
    expect(mail?.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
    const ics = mail?.attachments.find((a) => a.filename === 'event.ics')?.content ?? '';
    expect(ics).toContain(`UID:${event.id}@mail.test`);
    expect(ics).toContain('BEGIN:VTIMEZONE');
    // The Message-ID comes from the outbox row.
    const [row, ...more] = await outboxRowsFor(email);
    expect(more).toHaveLength(0);
    expect(row?.kind).toBe('registration_confirmed');
    expect(row?.locale).toBe(locale);
    expect(mail?.messageId).toBe(`<outbox-${row?.id}@mail.test>`);
  });

  it('waitlisted (with the position), promoted after a cancellation, and cancelled', async () => {
    const event = await createEvent({ title, maxParticipants: 1 });
    const first = uniqueEmail(`first-${locale}`);
    const second = uniqueEmail(`second-${locale}`);
    const firstCreated = await registered(event.slug, first, locale);
    const secondCreated = await registered(event.slug, second, locale, 'Bob');
    expect(secondCreated.registration.position).toBe(1);

    const [waitlisted] = await mailsTo(second);
    expect(waitlisted?.subject).toBe(subjectOf(locale, 'registration_waitlisted', title));
    expect(waitlisted?.text).toContain(MESSAGES[locale].email.lead.registration_waitlisted.replace('{title}', title).replace('{position}', '1'));
    expect(waitlisted?.text).toContain(`${ORIGIN}${secondCreated.manageUrl}`);
    expect(waitlisted?.attachments).toEqual([]);

    const token = firstCreated.manageUrl.replace('/r/', '');
    const cancelled = await call(postCancel, 'POST', `/api/public/registrations/${token}/cancel`, { key: randomUUID(), params: { token } });
    expect(cancelled.status, cancelled.text).toBe(200);

    const firstMails = await mailsTo(first, 2);
    expect(firstMails.map((m) => m.subject)).toEqual([
      subjectOf(locale, 'registration_confirmed', title),
      subjectOf(locale, 'registration_cancelled', title),
    ]);
    expect(firstMails[1]?.attachments).toEqual([]);
    expect(firstMails[1]?.text).not.toContain('/r/');

    const secondMails = await mailsTo(second, 2);
    expect(secondMails.map((m) => m.subject)).toEqual([
      subjectOf(locale, 'registration_waitlisted', title),
      subjectOf(locale, 'registration_promoted', title),
    ]);
    expect(secondMails[1]?.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-qr.png']);
  });

  it('event changed (time or place): to confirmed registrants only, with the old and new details', async () => {
    const event = await createEvent({ title, maxParticipants: 1 });
    const confirmed = uniqueEmail(`changed-c-${locale}`);
    const waiting = uniqueEmail(`changed-w-${locale}`);
    await registered(event.slug, confirmed, locale);
    await registered(event.slug, waiting, locale);
    await mailsTo(waiting);
    // A title-only edit is no change of time or place: no mail.
    const retitled = await patch(event, { title: `${title}!` });
    const moved = await patch(retitled, { location: { type: 'in_person', address: 'Nevsky 28, St Petersburg' } });
    const mails = await mailsTo(confirmed, 2);
    expect(mails).toHaveLength(2);
    const changed = mails[1];
    expect(changed?.subject).toBe(subjectOf(locale, 'event_changed', `${title}!`));
    expect(changed?.text).toContain('Nevsky 28, St Petersburg');
    expect(changed?.text).toContain('Tverskaya 1, Moscow'); // the old place
    const ics = changed?.attachments[0]?.content ?? '';
    expect(ics).toContain(`SEQUENCE:${moved.version}`);
    // The waitlisted registrant heard nothing about it.
    await new Promise((r) => setTimeout(r, 300));
    expect((await mailsTo(waiting)).map((m) => m.subject)).toEqual([subjectOf(locale, 'registration_waitlisted', title)]);
    expect((await outboxRowsFor(waiting)).map((r) => r.kind)).toEqual(['registration_waitlisted']);
  });

  it('event cancelled: to confirmed and waitlisted registrants, not to cancelled ones', async () => {
    const event = await createEvent({ title, maxParticipants: 1 });
    const confirmed = uniqueEmail(`ecancel-c-${locale}`);
    const waiting = uniqueEmail(`ecancel-w-${locale}`);
    const gone = uniqueEmail(`ecancel-x-${locale}`);
    await registered(event.slug, confirmed, locale);
    await registered(event.slug, waiting, locale);
    const goneCreated = await registered(event.slug, gone, locale);
    const goneToken = goneCreated.manageUrl.replace('/r/', '');
    expect((await call(postCancel, 'POST', `/api/public/registrations/${goneToken}/cancel`, { key: randomUUID(), params: { token: goneToken } })).status).toBe(200);
    await patch(event, { status: 'cancelled' });
    const subject = subjectOf(locale, 'event_cancelled', title);
    expect((await mailsTo(confirmed, 2))[1]?.subject).toBe(subject);
    expect((await mailsTo(waiting, 2))[1]?.subject).toBe(subject);
    const goneKinds = (await outboxRowsFor(gone)).map((r) => r.kind).sort();
    expect(goneKinds).toEqual(['registration_cancelled', 'registration_waitlisted']);
  });
});

describe('outbox and transactions', () => {
  it('a rolled-back registration writes no outbox row and sends nothing', async () => {
    const event = await createEvent({ title: 'Rollback meetup' });
    const email = uniqueEmail('rolled-back');
    const rolledBack = new Error('roll back on purpose');
    await expect(
      getDb().transaction(async (tx) => {
        const created = await register(tx, event.slug, { name: 'Ann', email, locale: 'en', address: '203.0.113.9' });
        expect(created.registration.status).toBe('confirmed');
        // Inside the transaction the row is there...
        expect(await tx.select().from(outboxMessages).where(eq(outboxMessages.recipient, email))).toHaveLength(1);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    // ...and gone with it. A registration after it is delivered; the rolled-back one never is.
    const after = uniqueEmail('after-rollback');
    await registered(event.slug, after, 'en');
    expect(await mailsTo(after)).toHaveLength(1);
    expect(await outboxRowsFor(email)).toHaveLength(0);
    expect(catcher.messages.filter((m) => m.to.includes(email))).toHaveLength(0);
  });

  it('a replayed registration writes nothing new: one row, one mail', async () => {
    const event = await createEvent({ title: 'Replay meetup' });
    const email = uniqueEmail('replayed');
    const key = randomUUID();
    const body = { name: 'Ann', email, locale: 'en' as const };
    const first = await registerFor(event.slug, body, key);
    expect(first.status).toBe(201);
    await mailsTo(email);
    const replays = await Promise.all([1, 2, 3].map(() => registerFor(event.slug, body, key)));
    for (const replay of replays) {
      expect(replay.status).toBe(201);
      expect(replay.headers.get('x-idempotency-replay')).toBe('true');
      expect(data<Created>(replay).manageUrl).toBe(data<Created>(first).manageUrl);
    }
    const sentinel = uniqueEmail('after-replay');
    await registered(event.slug, sentinel, 'en');
    await mailsTo(sentinel);
    expect(await outboxRowsFor(email)).toHaveLength(1);
    expect(catcher.messages.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('marks delivered rows sent, with their attempt count', async () => {
    const event = await createEvent({ title: 'Status meetup' });
    const email = uniqueEmail('status');
    await registered(event.slug, email, 'en');
    await mailsTo(email);
    const deadline = Date.now() + 5000;
    let rows = await outboxRowsFor(email);
    while (rows[0]?.status !== 'sent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      rows = await outboxRowsFor(email);
    }
    expect(rows.map((r) => [r.status, r.attempts, r.sentAt !== null])).toEqual([['sent', 1, true]]);
    const ids = rows.map((r) => r.id);
    expect(await getDb().select().from(outboxMessages).where(inArray(outboxMessages.id, ids))).toHaveLength(1);
  });
});

describe('a refusing SMTP server', () => {
  it('retries with backoff, then leaves the message failed with the last error; nothing is marked sent', async () => {
    // Only the refusing worker runs now (the files sharing this database do not check mail).
    await worker.stop();
    let refusals = 0;
    const refusing = await startMailCatcher({
      reject: () => {
        refusals += 1;
        return 'mailbox busy, try later';
      },
    });
    const failing = startMailWorker({
      db: getDb(),
      config: { ...outboxConfig(), smtpUrl: refusing.url, appOrigin: ORIGIN, pollMs: 20, retryBaseMs: 50, retryMaxMs: 200, maxAttempts: 3 },
    });
    try {
      const event = await createEvent({ title: 'Refused meetup' });
      const email = uniqueEmail('refused');
      await registered(event.slug, email, 'en');
      const deadline = Date.now() + 15_000;
      let [row] = await outboxRowsFor(email);
      while (row?.status !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        [row] = await outboxRowsFor(email);
      }
      expect(row?.status).toBe('failed');
      expect(row?.attempts).toBe(3);
      expect(row?.sentAt).toBeNull();
      expect(row?.lastError).toContain('mailbox busy');
      expect(refusals).toBeGreaterThanOrEqual(3);
      expect(refusing.messages).toHaveLength(0);
    } finally {
      await failing.stop();
      await refusing.close();
    }
  });
});
