// Ticket references (docs/api.md, "Door check-in"): every registration and
// ticket gets 8 Crockford base32 characters, unique within its event whatever
// runs at once; a reference drawn twice is drawn again (the generator is
// steered here to force it); the migration's backfill; scans and the attendee
// check-in by a typed reference, nonces as idempotent as for QR codes; the
// receipt mail with each ticket's QR code and reference and no internal id.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { POST as postEvent } from '@/app/api/events/route';
import { POST as postScans } from '@/app/api/events/[id]/check-in/scans/route';
import { GET as getSnapshot } from '@/app/api/events/[id]/check-in/snapshot/route';
import { POST as organiserCancel } from '@/app/api/events/[id]/registrations/[rid]/cancel/route';
import { POST as organiserCheckIn } from '@/app/api/events/[id]/registrations/[rid]/check-in/route';
import { POST as postRegistration } from '@/app/api/public/events/[slug]/registrations/route';
import { GET as getOrder } from '@/app/api/public/orders/[token]/route';
import type { CheckinSnapshot, ScanAnswer } from '@/lib/checkin/schemas';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import { outboxMessages } from '@/lib/db/schema';
import { startMailCatcher } from '@/lib/mail/catcher';
import { mailSender } from '@/lib/mail/worker';
import { outboxConfig } from '@/lib/outbox/config';
import { REFERENCE_PATTERN } from '@/lib/registrations/reference';
import { call, createOrganiser, type Organiser } from './support';
import { placeOrder, ticketedEvent } from './ticket-support';
import { validEventBody } from '../support/event-body';

// The references the next draws give, before the generator's own: lets a test make a draw collide.
const steer = vi.hoisted(() => ({ next: [] as string[] }));
vi.mock('@/lib/registrations/reference', async (original) => {
  const actual = await original<typeof import('@/lib/registrations/reference')>();
  return { ...actual, newReference: () => steer.next.shift() ?? actual.newReference() };
});

afterAll(closeDb);

const data = <T>(res: { json: Record<string, unknown> | null }): T => (res.json as { data: T }).data;
type Registered = { id: string; reference: string; status: string };

let organiser: Organiser;
async function owner(): Promise<Organiser> {
  organiser ??= await createOrganiser('References Organiser');
  return organiser;
}

async function newEvent(capacity = 30): Promise<{ id: string; slug: string }> {
  const o = await owner();
  const res = await call(postEvent, 'POST', '/api/events', { cookie: o.cookie, key: randomUUID(), body: validEventBody({ maxParticipants: capacity }) });
  expect(res.status, res.text).toBe(201);
  return data<{ event: { id: string; slug: string } }>(res).event;
}

async function register(slug: string, name = 'Guest'): Promise<Registered> {
  const res = await call(postRegistration, 'POST', `/api/public/events/${slug}/registrations`, {
    key: randomUUID(),
    params: { slug },
    body: { name, email: `${randomUUID().slice(0, 8)}@example.com` },
  });
  expect(res.status, res.text).toBe(201);
  return data<{ registration: Registered }>(res).registration;
}

async function referencesOf(eventId: string): Promise<string[]> {
  const { rows } = await getPool().query<{ reference: string }>('select reference from registrations where event_id = $1', [eventId]);
  return rows.map((r) => r.reference);
}

const scan = (code: string, nonce: string = randomUUID()) => ({ nonce, code, scannedAt: new Date().toISOString() });

async function scans(eventId: string, deviceId: string, batch: ReturnType<typeof scan>[]): Promise<ScanAnswer[]> {
  const o = await owner();
  const res = await call(postScans, 'POST', `/api/events/${eventId}/check-in/scans`, { cookie: o.cookie, key: randomUUID(), params: { id: eventId }, body: { deviceId, scans: batch } });
  expect(res.status, res.text).toBe(200);
  return data<{ results: ScanAnswer[] }>(res).results;
}

describe('references are assigned', () => {
  it('gives every registration of an event its own reference, however many register at once', async () => {
    const event = await newEvent(30);
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => register(event.slug, `Guest ${i}`)));
    for (const registration of created) expect(registration.reference).toMatch(REFERENCE_PATTERN);
    const stored = await referencesOf(event.id);
    expect(stored).toHaveLength(30);
    expect(new Set(stored).size).toBe(30);
    expect(stored.sort()).toEqual(created.map((r) => r.reference).sort());
  });

  it('draws again when a reference is taken in the event (also within one order), and lets another event use it', async () => {
    const event = await newEvent();
    steer.next = ['7KQ2M9XD'];
    expect((await register(event.slug)).reference).toBe('7KQ2M9XD');
    // Taken twice over, then free.
    steer.next = ['7KQ2M9XD', '7KQ2M9XD', 'H4W8ZC0N'];
    expect((await register(event.slug)).reference).toBe('H4W8ZC0N');
    expect(steer.next).toEqual([]);
    // Another event: the same reference is its own.
    const other = await newEvent();
    steer.next = ['7KQ2M9XD'];
    expect((await register(other.slug)).reference).toBe('7KQ2M9XD');

    // An order of three free tickets whose first draws collide with each other and with a registration.
    const o = await owner();
    const { event: ticketed, typeIds } = await ticketedEvent(o, [0]);
    const first = await placeOrder(ticketed.slug, typeIds[0] ?? '', 1);
    const [taken] = await referencesOf(ticketed.id);
    if (!taken) throw new Error('no ticket of the first order');
    steer.next = [taken, 'Q0Q0Q0Q0', 'Q0Q0Q0Q0', 'R1R1R1R1', 'S2S2S2S2'];
    const order = await placeOrder(ticketed.slug, typeIds[0] ?? '', 3);
    expect(steer.next).toEqual([]);
    const { rows } = await getPool().query<{ reference: string }>('select reference from registrations where order_id = $1 order by seq', [order.id]);
    expect(rows.map((r) => r.reference).sort()).toEqual(['Q0Q0Q0Q0', 'R1R1R1R1', 'S2S2S2S2']);
    expect(first.id).not.toBe(order.id);
  });

  it('refuses two equal references in one event and a malformed one, whoever writes', async () => {
    const event = await newEvent();
    const a = await register(event.slug);
    const b = await register(event.slug);
    await expect(getPool().query('update registrations set reference = $1 where id = $2', [a.reference, b.id])).rejects.toMatchObject({
      code: '23505',
      constraint: 'registrations_event_reference_key',
    });
    await expect(getPool().query(`update registrations set reference = 'UUUU0000' where id = $1`, [b.id])).rejects.toMatchObject({
      code: '23514',
      constraint: 'registrations_reference_format',
    });
    // A row written by plain SQL gets one from the column's default.
    const { rows } = await getPool().query<{ reference: string }>(
      `insert into registrations (event_id, name, email, status, token_hash) values ($1, 'SQL', 'sql@example.com', 'waitlisted', $2) returning reference`,
      [event.id, randomUUID()],
    );
    expect(rows[0]?.reference).toMatch(REFERENCE_PATTERN);
  });
});

describe('the migration', () => {
  it('backfills every existing row with a valid reference, unique in its event, drawing again where two collide', async () => {
    const event = await newEvent();
    const ids = [];
    for (let i = 0; i < 6; i += 1) ids.push((await register(event.slug, `Old ${i}`)).id);
    const dir = path.join(process.cwd(), 'supabase/migrations');
    const file = (await readdir(dir)).find((f) => f.endsWith('_registration_references.sql'));
    if (!file) throw new Error('no registration_references migration');
    const statements = (await readFile(path.join(dir, file), 'utf8')).split('--> statement-breakpoint');
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      await client.query('begin');
      // The table as it was before the migration, with rows in it.
      await client.query('alter table registrations drop constraint registrations_reference_format');
      await client.query('drop index registrations_event_reference_key');
      await client.query('alter table registrations drop column reference');
      for (const statement of statements) await client.query(statement);
      const all = await client.query<{ event_id: string; reference: string }>('select event_id, reference from registrations');
      expect(all.rows.length).toBeGreaterThanOrEqual(6);
      for (const row of all.rows) expect(row.reference).toMatch(REFERENCE_PATTERN);
      const dupes = await client.query('select event_id, reference from registrations group by 1, 2 having count(*) > 1');
      expect(dupes.rows).toEqual([]);

      // Collisions the draw would rarely make: the loop draws again until none is left.
      await client.query('drop index registrations_event_reference_key');
      await client.query(`update registrations set reference = '7KQ2M9XD' where event_id = $1`, [event.id]);
      const loop = statements.find((s) => s.includes('DO $$'));
      const index = statements.find((s) => s.includes('CREATE UNIQUE INDEX'));
      if (!loop || !index) throw new Error('the migration lost its loop or index');
      await client.query(loop);
      await client.query(index);
      const mine = await client.query<{ id: string; reference: string }>('select id, reference from registrations where event_id = $1', [event.id]);
      expect(new Set(mine.rows.map((r) => r.reference)).size).toBe(6);
      expect(mine.rows.filter((r) => r.reference === '7KQ2M9XD')).toHaveLength(1);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});

describe('a typed reference at the door', () => {
  it('is in the snapshot, admits by scan however it is typed, and a resent nonce answers the same and records nothing more', async () => {
    const event = await newEvent();
    const ann = await register(event.slug, 'Ann');
    const bo = await register(event.slug, 'Bo');
    const o = await owner();
    const snapshot = data<CheckinSnapshot>(await call(getSnapshot, 'GET', `/api/events/${event.id}/check-in/snapshot`, { cookie: o.cookie, params: { id: event.id } }));
    expect(snapshot.tickets.find((t) => t.id === ann.id)?.reference).toBe(ann.reference);

    const typed = ` ${ann.reference.slice(0, 4).toLowerCase()}-${ann.reference.slice(4)} `.replaceAll('0', 'o').replaceAll('1', 'l');
    const first = scan(typed);
    const [admitted] = await scans(event.id, 'door-1', [first]);
    expect(admitted).toMatchObject({ result: 'admitted', ticket: { id: ann.id, name: 'Ann' } });
    // The same nonce again, alone and in another batch: the same answer, one row.
    const [again] = await scans(event.id, 'door-1', [first]);
    expect(again).toEqual(admitted);
    const batch = await scans(event.id, 'door-1', [scan(bo.reference), first, scan(ann.reference)]);
    expect(batch.map((r) => r.result)).toEqual(['admitted', 'admitted', 'already_admitted']);
    const { rows } = await getPool().query<{ result: string }>('select result from checkin_scans where event_id = $1 order by scanned_at, result', [event.id]);
    expect(rows.map((r) => r.result).sort()).toEqual(['admitted', 'admitted', 'already_admitted']);

    // Another event's reference, one nobody holds, and garbage: unknown, with no ticket named.
    const other = await register((await newEvent()).slug);
    const unknown = await scans(event.id, 'door-1', [scan(other.reference), scan('ZZZZZZZZ'), scan('not a code')]);
    expect(unknown.map((r) => [r.result, r.ticket])).toEqual([
      ['unknown', null],
      ['unknown', null],
      ['unknown', null],
    ]);
  });

  it('after the attendee list checked a guest in, their typed reference is already admitted, with that time and device', async () => {
    const event = await newEvent();
    const cy = await register(event.slug, 'Cy');
    const o = await owner();
    const res = await call(organiserCheckIn, 'POST', `/api/events/${event.id}/registrations/${cy.id}/check-in`, {
      cookie: o.cookie,
      key: randomUUID(),
      params: { id: event.id, rid: cy.id },
    });
    expect(res.status, res.text).toBe(200);
    const first = data<{ registration: { checkedInAt: string } }>(res).registration;
    const [door] = await scans(event.id, 'door-2', [scan(cy.reference.toLowerCase())]);
    expect(door).toMatchObject({ result: 'already_admitted', ticket: { id: cy.id }, admittedAt: first.checkedInAt, admittedBy: 'attendee-list' });
  });

  it('the attendee check-in takes a reference as typed too (one admission, the first time kept); a cancellation takes ids only', async () => {
    const event = await newEvent();
    const di = await register(event.slug, 'Di');
    const o = await owner();
    const checkIn = (rid: string) =>
      call(organiserCheckIn, 'POST', `/api/events/${event.id}/registrations/${encodeURIComponent(rid)}/check-in`, {
        cookie: o.cookie,
        key: randomUUID(),
        params: { id: event.id, rid },
      });
    const typed = `${di.reference.slice(0, 4).toLowerCase()} ${di.reference.slice(4)}`;
    const first = await checkIn(typed);
    expect(first.status, first.text).toBe(200);
    const admitted = data<{ registration: { id: string; checkedInAt: string } }>(first).registration;
    expect(admitted.id).toBe(di.id);
    const again = await checkIn(di.id);
    expect(data<{ registration: { checkedInAt: string } }>(again).registration.checkedInAt).toBe(admitted.checkedInAt);
    const { rows } = await getPool().query<{ result: string }>('select result from checkin_scans where registration_id = $1 order by result', [di.id]);
    expect(rows.map((r) => r.result)).toEqual(['admitted', 'already_admitted']);
    // Nobody's reference, garbage, and another event's reference: 404.
    const elsewhere = await register((await newEvent()).slug);
    for (const rid of ['ZZZZZZZZ', 'not-a-reference', elsewhere.reference]) expect((await checkIn(rid)).status, rid).toBe(404);
    const cancel = await call(organiserCancel, 'POST', `/api/events/${event.id}/registrations/${di.reference}/cancel`, {
      cookie: o.cookie,
      key: randomUUID(),
      params: { id: event.id, rid: di.reference },
    });
    expect(cancel.status).toBe(404);
    const { rows: still } = await getPool().query<{ status: string }>('select status from registrations where id = $1', [di.id]);
    expect(still[0]?.status).toBe('confirmed');
  });
});

describe('the receipt mail', () => {
  it('carries each ticket: its QR code inline, its reference, the .ics and the order link, and no internal id', async () => {
    const o = await owner();
    const { event, typeIds } = await ticketedEvent(o, [0]);
    const order = await placeOrder(event.slug, typeIds[0] ?? '', 2);
    const [row] = await getDb()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.eventId, event.id), eq(outboxMessages.kind, 'order_confirmed')));
    if (!row) throw new Error('no receipt in the outbox');
    const { rows: tickets } = await getPool().query<{ reference: string }>('select reference from registrations where order_id = $1 order by seq', [order.id]);
    const printed = tickets.map((t) => `${t.reference.slice(0, 4)}-${t.reference.slice(4)}`);
    const catcher = await startMailCatcher();
    const sender = mailSender({ ...outboxConfig(), smtpUrl: catcher.url, appOrigin: 'http://mail.test' });
    try {
      await sender.send(row);
      let mail = catcher.messages.find((m) => m.text.includes(printed[0] ?? '-'));
      for (const deadline = Date.now() + 10_000; !mail && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 50));
        mail = catcher.messages.find((m) => m.text.includes(printed[0] ?? '-'));
      }
      if (!mail) throw new Error('no receipt with the reference');
      for (const reference of printed) expect(mail.text).toContain(reference);
      expect(mail.attachments.map((a) => a.filename).sort()).toEqual(['event.ics', 'ticket-1-qr.png', 'ticket-2-qr.png']);
      expect(mail.attachments.filter((a) => a.contentType === 'image/png').map((a) => a.cid).sort()).toEqual(['ticket-qr-1@event-app', 'ticket-qr-2@event-app']);
      const payload = row.payload as { manageUrl: string };
      expect(mail.text).toContain(`http://mail.test${payload.manageUrl}`);
      const orderPage = await call(getOrder, 'GET', `/api/public/orders/${payload.manageUrl.replace(/^\/o\//, '')}`, {
        params: { token: payload.manageUrl.replace(/^\/o\//, '') },
      });
      expect(orderPage.status, orderPage.text).toBe(200);
      const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
      expect(mail.text).not.toMatch(uuid);
      expect(mail.html).not.toMatch(uuid);
    } finally {
      sender.close();
      await catcher.close();
    }
  });
});
