// Door check-in (docs/api.md, "Door check-in"): signed codes, the snapshot,
// scans by nonce, the earliest scan admitting, conflicts, cancelled, unknown
// and forged codes, concurrent batches from several devices; on real Postgres
// through the exported route handlers.
import { createHash, createPublicKey, randomUUID, verify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startMailCatcher } from '@/lib/mail/catcher';
import { mailSender } from '@/lib/mail/worker';
import { outboxConfig } from '@/lib/outbox/config';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as postScans } from '@/app/api/events/[id]/check-in/scans/route';
import { GET as getSnapshot } from '@/app/api/events/[id]/check-in/snapshot/route';
import { POST as organiserCancel } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { POST as organiserCheckIn } from '@/app/api/events/[id]/registrations/[rid]/check-in/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { GET as getRegistration } from '@/app/api/public/registrations/[token]/route';
import { base64UrlDecode, joinCode, parseCode, signedMessage } from '@/lib/checkin/code-format';
import { checkinSummary } from '@/lib/checkin/queries';
import type { CheckinSnapshot, ScanAnswer } from '@/lib/checkin/schemas';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { outboxMessages } from '@/lib/db/schema';
import { call, createOrganiser, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

afterAll(closeDb);

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;

type Ticket = { id: string; name: string; code: string; token: string; reference: string };
type Scan = { nonce: string; code: string; scannedAt: string };

let organiser: Organiser;
async function owner(): Promise<Organiser> {
  organiser ??= await createOrganiser();
  return organiser;
}

async function eventWith(count: number, capacity = Math.max(count, 1)): Promise<{ id: string; tickets: Ticket[] }> {
  const o = await owner();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: capacity }) });
  expect(res.status, res.text).toBe(201);
  const event = data<{ event: { id: string; slug: string } }>(res).event;
  const tickets: Ticket[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `Guest ${i + 1}`;
    const reg = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name, email: `guest-${i}-${randomUUID().slice(0, 6)}@example.com` },
    });
    expect(reg.status, reg.text).toBe(201);
    const token = data<{ manageUrl: string }>(reg).manageUrl.replace(/^\/r\//, '');
    const read = await call(getRegistration, 'GET', `/api/public/registrations/${token}`, { params: { token } });
    const registration = data<{ registration: { id: string; code: string | null; reference: string } }>(read).registration;
    if (!registration.code) throw new Error('a confirmed registration has a code');
    tickets.push({ id: registration.id, name, code: registration.code, token, reference: registration.reference });
  }
  return { id: event.id, tickets };
}

async function send(eventId: string, deviceId: string, scans: Scan[], cookie?: string) {
  const o = await owner();
  return call(postScans, 'POST', `/api/events/${eventId}/check-in/scans`, {
    cookie: cookie ?? o.cookie,
    key: randomUUID(),
    params: { id: eventId },
    body: { deviceId, scans },
  });
}

async function results(eventId: string, deviceId: string, scans: Scan[]): Promise<ScanAnswer[]> {
  const res = await send(eventId, deviceId, scans);
  expect(res.status, res.text).toBe(200);
  return data<{ results: ScanAnswer[] }>(res).results;
}

const scan = (code: string, scannedAt: Date | string = new Date()): Scan => ({
  nonce: randomUUID(),
  code,
  scannedAt: typeof scannedAt === 'string' ? scannedAt : scannedAt.toISOString(),
});

async function scanRows(eventId: string) {
  const { rows } = await getPool().query<{ nonce: string; registration_id: string | null; device_id: string; result: string; scanned_at: Date }>(
    'select nonce, registration_id, device_id, result, scanned_at from checkin_scans where event_id = $1 order by scanned_at',
    [eventId],
  );
  return rows;
}

async function checkedInAt(registrationId: string): Promise<string | null> {
  const { rows } = await getPool().query<{ checked_in_at: Date | null }>('select checked_in_at from registrations where id = $1', [registrationId]);
  return rows[0]?.checked_in_at?.toISOString() ?? null;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe('ticket codes', () => {
  it('gives a confirmed registration a signed code that verifies with the snapshot key, in Node and with the browser library', async () => {
    const { id, tickets } = await eventWith(2);
    const o = await owner();
    const res = await call(getSnapshot, 'GET', `/api/events/${id}/check-in/snapshot`, { cookie: o.cookie, params: { id } });
    expect(res.status, res.text).toBe(200);
    const snapshot = data<CheckinSnapshot>(res);
    expect(snapshot.tickets.map((t) => t.id).sort()).toEqual(tickets.map((t) => t.id).sort());
    for (const ticket of tickets) {
      const listed = snapshot.tickets.find((t) => t.id === ticket.id);
      expect(listed).toMatchObject({ name: ticket.name, status: 'confirmed', checkedInAt: null, ticketType: null });
      expect(listed?.codeHash).toBe(createHash('sha256').update(ticket.code).digest('hex'));
      const parsed = parseCode(ticket.code);
      if (!parsed) throw new Error('unparsable code');
      expect(parsed.registrationId).toBe(ticket.id);
      const raw = base64UrlDecode(snapshot.verifyKey);
      if (!raw) throw new Error('bad verify key');
      expect(await ed.verifyAsync(parsed.signature, signedMessage(id, ticket.id), raw)).toBe(true);
      // The same key in Node, from its raw 32 bytes.
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: snapshot.verifyKey }, format: 'jwk' });
      expect(verify(null, signedMessage(id, ticket.id), key, parsed.signature)).toBe(true);
      // Signed for this event only.
      expect(await ed.verifyAsync(parsed.signature, signedMessage(randomUUID(), ticket.id), raw)).toBe(false);
    }
    // The code is the same on every read (deterministic signature), so the mail's and the page's agree.
    const again = await call(getRegistration, 'GET', `/api/public/registrations/${tickets[0]?.token}`, { params: { token: tickets[0]?.token ?? '' } });
    expect(data<{ registration: { code: string } }>(again).registration.code).toBe(tickets[0]?.code);
  });

  it('gives no code to a waitlisted registration, and the snapshot of another organiser is 404', async () => {
    const o = await owner();
    const res = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: 1 }) });
    const event = data<{ event: { id: string; slug: string } }>(res).event;
    for (const email of ['a@example.com', 'b@example.com']) {
      await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, { key: randomUUID(), params: { slug: event.slug }, body: { name: 'W', email } });
    }
    const waitlisted = await call(postRegistration, 'POST', `/api/public/events/${event.slug}/registrations`, {
      key: randomUUID(),
      params: { slug: event.slug },
      body: { name: 'W', email: 'c@example.com' },
    });
    const token = data<{ manageUrl: string }>(waitlisted).manageUrl.replace(/^\/r\//, '');
    const read = await call(getRegistration, 'GET', `/api/public/registrations/${token}`, { params: { token } });
    expect(data<{ registration: { status: string; code: string | null } }>(read).registration).toMatchObject({ status: 'waitlisted', code: null });

    const stranger = await createOrganiser('Stranger');
    const foreign = await call(getSnapshot, 'GET', `/api/events/${event.id}/check-in/snapshot`, { cookie: stranger.cookie, params: { id: event.id } });
    expect(foreign.status).toBe(404);
    const foreignScan = await send(event.id, 'door-1', [scan('x')], stranger.cookie);
    expect(foreignScan.status).toBe(404);
  });
});

describe('scans', () => {
  it('admits once, answers a resent nonce the same and records nothing more, and sets checkedInAt to the scan time', async () => {
    const { id, tickets } = await eventWith(1);
    const [ticket] = tickets;
    if (!ticket) throw new Error('no ticket');
    const first = scan(ticket.code, minutesAgo(3));
    const [answer] = await results(id, 'door-1', [first]);
    expect(answer).toMatchObject({ nonce: first.nonce, result: 'admitted', ticket: { id: ticket.id, name: ticket.name }, admittedAt: first.scannedAt, admittedBy: 'door-1' });
    expect(await checkedInAt(ticket.id)).toBe(first.scannedAt);

    // The same scan again, alone and inside a bigger batch, even with the nonce twice in one batch.
    const later = scan(ticket.code, minutesAgo(1));
    const resent = await results(id, 'door-1', [first, later, first]);
    expect(resent[0]).toEqual(answer);
    expect(resent[2]).toEqual(answer);
    expect(resent[1]).toMatchObject({ result: 'already_admitted', admittedAt: first.scannedAt, admittedBy: 'door-1' });
    expect(await results(id, 'door-1', [first])).toEqual([answer]);
    expect((await scanRows(id)).length).toBe(2);
  });

  it('tells a conflict (another device, scanned before the admission reached the server) from already_admitted (scanned after)', async () => {
    const { id, tickets } = await eventWith(1);
    const code = tickets[0]?.code ?? '';
    const admitted = scan(code, minutesAgo(10));
    const sentAt = Date.now();
    await results(id, 'door-1', [admitted]);
    // door-2 was offline: it admitted the same ticket 5 minutes ago, before door-1's scan arrived.
    const offline = scan(code, minutesAgo(5));
    // door-2 scans again after the admission had arrived: it could have known.
    const afterwards = scan(code, new Date(sentAt + 2_000));
    const answers = await results(id, 'door-2', [offline, afterwards]);
    expect(answers.map((a) => a.result)).toEqual(['conflict', 'already_admitted']);
    for (const a of answers) expect(a).toMatchObject({ admittedAt: admitted.scannedAt, admittedBy: 'door-1' });

    const summary = await checkinSummary(getDb(), id, (await owner()).id);
    expect(summary).toMatchObject({ admitted: 1, expected: 1, scans: 3 });
    expect(summary?.conflicts).toEqual([
      expect.objectContaining({
        ticket: expect.objectContaining({ id: tickets[0]?.id }),
        admission: { deviceId: 'door-1', scannedAt: admitted.scannedAt },
        conflicting: { deviceId: 'door-2', scannedAt: offline.scannedAt },
      }),
    ]);
  });

  it('lets the earliest scan admit even when it arrives last; the displaced admission becomes a conflict', async () => {
    const { id, tickets } = await eventWith(1);
    const ticket = tickets[0];
    if (!ticket) throw new Error('no ticket');
    const late = scan(ticket.code, minutesAgo(2));
    expect((await results(id, 'door-1', [late]))[0]?.result).toBe('admitted');
    const early = scan(ticket.code, minutesAgo(7));
    const [answer] = await results(id, 'door-2', [early]);
    expect(answer).toMatchObject({ result: 'admitted', admittedAt: early.scannedAt, admittedBy: 'door-2' });
    expect(await checkedInAt(ticket.id)).toBe(early.scannedAt);
    // The displaced scan, resent, answers what it is now.
    expect((await results(id, 'door-1', [late]))[0]).toMatchObject({ result: 'conflict', admittedAt: early.scannedAt, admittedBy: 'door-2' });
    const rows = await scanRows(id);
    expect(rows.map((r) => [r.device_id, r.result])).toEqual([
      ['door-2', 'admitted'],
      ['door-1', 'conflict'],
    ]);
  });

  it('answers cancelled, unknown and forged codes, and records them', async () => {
    const { id, tickets } = await eventWith(2);
    const [kept, dropped] = tickets;
    if (!kept || !dropped) throw new Error('no tickets');
    const o = await owner();
    const cancelled = await call(organiserCancel, 'POST', `/api/events/${id}/registrations/${dropped.id}/cancel`, { cookie: o.cookie, key: randomUUID(), params: { id, rid: dropped.id } });
    expect(cancelled.status).toBe(200);
    const other = await eventWith(1);
    const parsed = parseCode(kept.code);
    if (!parsed) throw new Error('bad code');
    const flipped = Uint8Array.from(parsed.signature);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    const forged = joinCode(kept.id, flipped);
    // Another registration's id under this ticket's signature: altered.
    const altered = joinCode(dropped.id, parsed.signature);

    const scans = [scan(dropped.code), scan(other.tickets[0]?.code ?? ''), scan(forged), scan(altered), scan('not a code'), scan(kept.code)];
    const answers = await results(id, 'door-1', scans);
    expect(answers.map((a) => a.result)).toEqual(['cancelled', 'unknown', 'unknown', 'unknown', 'unknown', 'admitted']);
    expect(answers[0]?.ticket?.id).toBe(dropped.id);
    expect(answers.slice(1, 5).every((a) => a.ticket === null && a.admittedAt === null)).toBe(true);
    expect((await scanRows(id)).length).toBe(6);
    // The other event's ticket was not touched.
    expect(await checkedInAt(other.tickets[0]?.id ?? '')).toBeNull();
  });

  it('refuses a batch over 500 scans, an unkeyed request and a malformed scan, recording nothing', async () => {
    const { id, tickets } = await eventWith(1);
    const code = tickets[0]?.code ?? '';
    const tooMany = await send(id, 'door-1', Array.from({ length: 501 }, () => scan(code)));
    expect(tooMany.status).toBe(400);
    const o = await owner();
    const unkeyed = await call(postScans, 'POST', `/api/events/${id}/check-in/scans`, { cookie: o.cookie, params: { id }, body: { deviceId: 'd', scans: [scan(code)] } });
    expect(unkeyed.status).toBe(400);
    const malformed = await send(id, 'door-1', [{ nonce: 'nope', code, scannedAt: 'yesterday' }]);
    expect(malformed.status).toBe(400);
    const yearZero = await send(id, 'door-1', [{ nonce: randomUUID(), code, scannedAt: '0000-01-01T00:00:00Z' }]);
    expect(yearZero.status).toBe(400);
    expect(await scanRows(id)).toEqual([]);
    // 500 is allowed.
    const full = await send(id, 'door-1', Array.from({ length: 500 }, () => scan(code)));
    expect(full.status, full.text).toBe(200);
    expect(data<{ results: ScanAnswer[] }>(full).results.filter((r) => r.result === 'admitted').length).toBe(1);
  });

  it('admits each ticket once when several devices send their batches at the same moment', async () => {
    const { id, tickets } = await eventWith(12);
    const devices = Array.from({ length: 6 }, (_, i) => `door-${i + 1}`);
    const batches = devices.map((device, d) => ({
      device,
      scans: tickets.map((t, i) => scan(t.code, new Date(Date.now() - 60_000 + d * 1000 + i))),
    }));
    const answers = await Promise.all(batches.map((b) => send(id, b.device, b.scans)));
    for (const res of answers) expect(res.status, res.text).toBe(200);
    // And every batch once more, at once: nothing more is recorded.
    await Promise.all(batches.map((b) => send(id, b.device, b.scans)));
    const rows = await scanRows(id);
    expect(rows.length).toBe(devices.length * tickets.length);
    for (const ticket of tickets) {
      const mine = rows.filter((r) => r.registration_id === ticket.id);
      expect(mine.filter((r) => r.result === 'admitted').length).toBe(1);
      // Every device scanned before any batch arrived: the earliest (door-1) admits, the rest are conflicts.
      expect(mine.find((r) => r.result === 'admitted')?.device_id).toBe('door-1');
      expect(mine.filter((r) => r.result === 'conflict').length).toBe(devices.length - 1);
      expect(await checkedInAt(ticket.id)).toBe(mine.find((r) => r.result === 'admitted')?.scanned_at.toISOString());
    }
  });

  it('refuses a second admission of one ticket in the database itself', async () => {
    const { id, tickets } = await eventWith(1);
    await results(id, 'door-1', [scan(tickets[0]?.code ?? '')]);
    const insert = getDb().execute(
      sql`insert into checkin_scans (nonce, event_id, registration_id, device_id, scanned_at, result) values (${randomUUID()}, ${id}, ${tickets[0]?.id}, 'rogue', now(), 'admitted')`,
    );
    await expect(insert).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23505' }) });
  });

  it('records the attendee list check-in as a scan of its own, which later scans lose to', async () => {
    const { id, tickets } = await eventWith(1);
    const ticket = tickets[0];
    if (!ticket) throw new Error('no ticket');
    const o = await owner();
    const first = await call(organiserCheckIn, 'POST', `/api/events/${id}/registrations/${ticket.id}/check-in`, { cookie: o.cookie, key: randomUUID(), params: { id, rid: ticket.id } });
    expect(first.status, first.text).toBe(200);
    const at = data<{ registration: { checkedInAt: string } }>(first).registration.checkedInAt;
    const repeat = await call(organiserCheckIn, 'POST', `/api/events/${id}/registrations/${ticket.id}/check-in`, { cookie: o.cookie, key: randomUUID(), params: { id, rid: ticket.id } });
    expect(data<{ registration: { checkedInAt: string } }>(repeat).registration.checkedInAt).toBe(at);
    const [door] = await results(id, 'door-1', [scan(ticket.code, new Date(Date.now() + 1000))]);
    expect(door).toMatchObject({ result: 'already_admitted', admittedAt: at, admittedBy: 'attendee-list' });
    const rows = await scanRows(id);
    expect(rows.map((r) => [r.device_id, r.result])).toEqual([
      ['attendee-list', 'admitted'],
      ['attendee-list', 'already_admitted'],
      ['door-1', 'already_admitted'],
    ]);
  });
});

describe('the confirmation mail', () => {
  it('carries the ticket: the QR code as an inline image by Content-ID, and its reference under it (never the long code)', async () => {
    const catcher = await startMailCatcher();
    // The worker's own sender (render, sign the ticket, SMTP) on this registration's outbox row only: a worker
    // here would also claim the other test files' mails, which share this database (mail.test.ts waits for its own).
    const sender = mailSender({ ...outboxConfig(), smtpUrl: catcher.url, appOrigin: 'http://mail.test' });
    try {
      const { tickets } = await eventWith(1);
      const ticket = tickets[0];
      if (!ticket) throw new Error('no ticket');
      const [row] = await getDb()
        .select()
        .from(outboxMessages)
        .where(and(eq(outboxMessages.registrationId, ticket.id), eq(outboxMessages.kind, 'registration_confirmed')));
      if (!row) throw new Error('no confirmation mail in the outbox');
      await sender.send(row);
      // The catcher parses what it accepted on its own time.
      const printed = `${ticket.reference.slice(0, 4)}-${ticket.reference.slice(4)}`;
      let mail = catcher.messages.find((m) => m.text.includes(printed));
      for (const deadline = Date.now() + 10_000; !mail && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 50));
        mail = catcher.messages.find((m) => m.text.includes(printed));
      }
      if (!mail) throw new Error('no mail with the ticket reference');
      const image = mail.attachments.find((a) => a.filename === 'ticket-qr.png');
      expect(image).toMatchObject({ contentType: 'image/png', cid: 'ticket-qr@event-app' });
      expect(Buffer.from(image?.content ?? '', 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
      // The HTML refers to the part by cid:, which the parser resolves to the image's bytes.
      expect(mail.html).toContain(`<img src="data:image/png;base64,${image?.content}"`);
      expect(mail.html).toContain(printed);
      expect(mail.text).not.toContain(ticket.code);
    } finally {
      sender.close();
      await catcher.close();
    }
  });
});

describe('the checkin.admitted webhook', () => {
  it('writes one message per admission in the scan batch transaction, and nothing for a resent batch, a repeat or a forged code', async () => {
    const o = await owner();
    const endpointId = randomUUID();
    await getPool().query(
      `insert into webhook_endpoints (id, team_id, url, events, secret) values ($1, $2, 'http://127.0.0.1:9/hook', '{checkin.admitted}', 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0')`,
      [endpointId, o.id],
    );
    try {
      const { id, tickets } = await eventWith(2);
      const [first, second] = tickets;
      if (!first || !second) throw new Error('two tickets');
      const batch = [scan(first.code, minutesAgo(2)), scan(second.code, minutesAgo(1)), scan(`${first.code.slice(0, -2)}xx`)];
      expect((await results(id, 'door-a', batch)).map((r) => r.result)).toEqual(['admitted', 'admitted', 'unknown']);
      // The same batch again (its nonces), and a later scan of an admitted ticket.
      await results(id, 'door-a', batch);
      expect((await results(id, 'door-b', [scan(first.code)])).map((r) => r.result)).toEqual(['already_admitted']);

      const { rows } = await getPool().query<{ type: string; payload: { type: string; data: { scan: Record<string, unknown> } } }>(
        'select type, payload from webhook_deliveries where endpoint_id = $1 order by created_at, id',
        [endpointId],
      );
      expect(rows.map((r) => r.type)).toEqual(['checkin.admitted', 'checkin.admitted']);
      const scans = rows.map((r) => r.payload.data.scan);
      expect(scans.map((s) => s.registrationId).sort()).toEqual([first.id, second.id].sort());
      for (const s of scans) expect(s).toMatchObject({ eventId: id, deviceId: 'door-a', result: 'admitted' });
    } finally {
      await getPool().query('delete from webhook_endpoints where id = $1', [endpointId]);
    }
  });
});
