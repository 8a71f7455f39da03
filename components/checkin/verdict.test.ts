// The scanner's verdict from the snapshot alone (no network): signatures
// checked with @noble/ed25519 against a key made by node:crypto, as the
// server signs; what counts as a new scan; the admissions a device knows of
// from its own scans, queued or answered.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlEncode, joinCode, parseCode, signedMessage } from '@/lib/checkin/code-format';
import { SCANNED_CODE_MAX, type CheckinSnapshot, type SnapshotTicket } from '@/lib/checkin/schemas';
import { newReference } from '@/lib/registrations/reference';
import type { StoredScan } from './scanner-store';
import { admissionsOf, indexSnapshot, judge, SAME_CODE_MS, scannedCode, sightings, TONE } from './verdict';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = publicKey.export({ format: 'der', type: 'spki' });
const verifyKey = base64UrlEncode(new Uint8Array(spki.subarray(spki.length - 32)));
const eventId = randomUUID();
const codeFor = (registrationId: string, event = eventId) => joinCode(registrationId, new Uint8Array(sign(null, signedMessage(event, registrationId), privateKey)));
const hash = (code: string) => createHash('sha256').update(code).digest('hex');

function ticket(status: SnapshotTicket['status'], checkedInAt: string | null = null): { ticket: SnapshotTicket; code: string } {
  const id = randomUUID();
  const code = codeFor(id);
  return { code, ticket: { id, codeHash: hash(code), reference: newReference(), name: `Guest ${status}`, ticketType: null, status, checkedInAt } };
}

const fresh = ticket('confirmed');
const inside = ticket('confirmed', '2026-12-03T07:00:00.000Z');
const cancelled = ticket('cancelled');
const waitlisted = ticket('waitlisted');
const cancelledAfterEntry = ticket('cancelled', '2026-12-03T07:30:00.000Z');
const snapshot: CheckinSnapshot = { version: 1, verifyKey, event: { title: 'Meetup', timezone: 'Europe/Berlin' }, tickets: [fresh.ticket, inside.ticket, cancelled.ticket, waitlisted.ticket, cancelledAfterEntry.ticket] };
const index = indexSnapshot(snapshot);

describe('judge', () => {
  it('admits a confirmed ticket not yet in, with its name', async () => {
    expect(await judge(eventId, fresh.code, index, new Map())).toMatchObject({ verdict: 'admitted', ticket: { name: 'Guest confirmed' } });
  });

  it('says already admitted when the snapshot or this device has it in, with the time', async () => {
    expect(await judge(eventId, inside.code, index, new Map())).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T07:00:00.000Z' });
    const here = new Map([[fresh.ticket.id, '2026-12-03T08:00:00.000Z']]);
    expect(await judge(eventId, fresh.code, index, here)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T08:00:00.000Z' });
  });

  it('refuses a cancelled ticket and a genuine code that is not on the list', async () => {
    expect((await judge(eventId, cancelled.code, index, new Map())).verdict).toBe('cancelled');
    expect((await judge(eventId, codeFor(randomUUID()), index, new Map())).verdict).toBe('unknown');
  });

  it('tells a forged, altered, foreign or malformed code apart offline', async () => {
    const parsed = parseCode(fresh.code);
    if (!parsed) throw new Error('unparsable');
    const flipped = Uint8Array.from(parsed.signature);
    flipped[0] = (flipped[0] ?? 0) ^ 0x80;
    const forgedKey = generateKeyPairSync('ed25519').privateKey;
    const cases = [
      joinCode(fresh.ticket.id, flipped),
      joinCode(inside.ticket.id, parsed.signature),
      joinCode(fresh.ticket.id, new Uint8Array(sign(null, signedMessage(eventId, fresh.ticket.id), forgedKey))),
      codeFor(fresh.ticket.id, randomUUID()),
      'hello',
      `${fresh.code}x`,
    ];
    for (const code of cases) expect((await judge(eventId, code, index, new Map())).verdict, code).toBe('forged');
  });

  it('resolves a reference typed by hand offline, however it was typed, with the same verdicts as its QR code', async () => {
    const reference = fresh.ticket.reference;
    const sloppy = ` ${reference.slice(0, 4).toLowerCase()} - ${reference.slice(4)} `.replaceAll('0', 'o').replaceAll('1', 'l');
    expect(await judge(eventId, sloppy, index, new Map())).toMatchObject({ verdict: 'admitted', ticket: { id: fresh.ticket.id } });
    expect(await judge(eventId, inside.ticket.reference, index, new Map())).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T07:00:00.000Z' });
    const here = new Map([[fresh.ticket.id, '2026-12-03T08:00:00.000Z']]);
    expect(await judge(eventId, reference, index, here)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T08:00:00.000Z' });
    expect((await judge(eventId, cancelled.ticket.reference, index, new Map())).verdict).toBe('cancelled');
    expect((await judge(eventId, waitlisted.ticket.reference, index, new Map())).verdict).toBe('unknown');
    // Well formed but nobody's: unknown; not a reference at all (a U, too short): forged.
    const nobody = ['0000ZZZZ', 'ZZZZ0000'].find((r) => !snapshot.tickets.some((t) => t.reference === r)) ?? '';
    expect((await judge(eventId, nobody, index, new Map())).verdict).toBe('unknown');
    expect((await judge(eventId, 'UUUU0000', index, new Map())).verdict).toBe('forged');
    expect((await judge(eventId, reference.slice(1), index, new Map())).verdict).toBe('forged');
  });

  it('counts a waitlisted registration as no ticket, without naming it', async () => {
    expect(await judge(eventId, waitlisted.code, index, new Map())).toEqual({ verdict: 'unknown', ticket: null, admittedAt: null });
  });

  it('keeps a cancelled ticket out even when it was admitted before, here or in the snapshot', async () => {
    expect((await judge(eventId, cancelledAfterEntry.code, index, new Map())).verdict).toBe('cancelled');
    const here = new Map([[cancelled.ticket.id, '2026-12-03T08:00:00.000Z']]);
    expect(await judge(eventId, cancelled.code, index, here)).toMatchObject({ verdict: 'cancelled', admittedAt: null });
  });

  it('tells the time this device admitted a ticket before the snapshot\'s older one', async () => {
    const here = new Map([[inside.ticket.id, '2026-12-03T09:00:00.000Z']]);
    expect(await judge(eventId, inside.code, index, here)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T09:00:00.000Z' });
  });

  it('refuses a genuine code of another event even when its registration is on this list', async () => {
    const otherEvent = randomUUID();
    const foreign = codeFor(fresh.ticket.id, otherEvent);
    expect((await judge(eventId, foreign, index, new Map())).verdict).toBe('forged');
    // The same code is good at its own event's door.
    const there = indexSnapshot({ ...snapshot, tickets: [{ ...fresh.ticket, codeHash: hash(foreign) }] });
    expect((await judge(otherEvent, foreign, there, new Map())).verdict).toBe('admitted');
  });

  it('calls every code forged when the snapshot carries no usable key', async () => {
    for (const key of ['', 'not base64url!']) {
      const keyless = indexSnapshot({ ...snapshot, verifyKey: key });
      expect((await judge(eventId, fresh.code, keyless, new Map())).verdict, key).toBe('forged');
    }
  });

  it('judges a code the same however many times it is asked (a verdict writes nothing)', async () => {
    const here = new Map<string, string>();
    for (let i = 0; i < 3; i += 1) expect((await judge(eventId, fresh.code, index, here)).verdict).toBe('admitted');
    expect(here.size).toBe(0);
  });
});

describe('scannedCode', () => {
  it('trims what was read or typed and cuts it to the longest a code can be', () => {
    expect(scannedCode(`  ${fresh.code}\n`)).toBe(fresh.code);
    expect(scannedCode('x'.repeat(SCANNED_CODE_MAX + 20))).toHaveLength(SCANNED_CODE_MAX);
  });

  it('has nothing to judge in an empty or blank read', () => {
    expect(scannedCode('')).toBeNull();
    expect(scannedCode(' \t\n ')).toBeNull();
  });
});

describe('sightings', () => {
  it('takes a code seen again within the window as the same scan, and from the window\'s end on as a new one', () => {
    const seen = sightings();
    expect(seen.isNewScan('A', 1_000)).toBe(true);
    expect(seen.isNewScan('A', 1_000)).toBe(false);
    expect(seen.isNewScan('A', 1_000 + SAME_CODE_MS - 1)).toBe(false);
    // Each sighting restarts the window: exactly SAME_CODE_MS after the last one is new.
    expect(seen.isNewScan('A', 1_000 + 2 * SAME_CODE_MS - 1)).toBe(true);
  });

  it('never scans again a code that stays in view, however long', () => {
    const seen = sightings();
    const frames = Array.from({ length: 200 }, (_, i) => seen.isNewScan('A', i * 150));
    expect(frames.filter(Boolean)).toHaveLength(1);
  });

  it('keeps codes apart: another code in the window is a scan of its own', () => {
    const seen = sightings();
    expect(seen.isNewScan('A', 0)).toBe(true);
    expect(seen.isNewScan('B', 10)).toBe(true);
    expect(seen.isNewScan('A', 20)).toBe(false);
  });

  it('takes a clock set back (a phone correcting its time) as the same scan, not a new one', () => {
    const seen = sightings();
    expect(seen.isNewScan('A', 100_000)).toBe(true);
    expect(seen.isNewScan('A', 40_000)).toBe(false);
    expect(seen.isNewScan('A', 40_000 + SAME_CODE_MS)).toBe(true);
  });

  it('a double tap on Check with one code is one scan', () => {
    const seen = sightings(SAME_CODE_MS);
    expect([seen.isNewScan(fresh.code, 5), seen.isNewScan(fresh.code, 180)]).toEqual([true, false]);
  });
});

describe('admissionsOf', () => {
  const scan = (over: Partial<StoredScan>): StoredScan => ({
    nonce: randomUUID(),
    eventId,
    code: fresh.code,
    scannedAt: '2026-12-03T10:00:00.000Z',
    verdict: 'admitted',
    ticketId: fresh.ticket.id,
    name: 'Guest',
    sent: 0,
    server: null,
    ...over,
  });

  it('counts an admission still queued offline at the device\'s time, so a reload tells it already admitted', async () => {
    const known = admissionsOf([scan({})]);
    expect(known).toEqual(new Map([[fresh.ticket.id, '2026-12-03T10:00:00.000Z']]));
    expect(await judge(eventId, fresh.code, index, known)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-03T10:00:00.000Z' });
  });

  it('takes the server\'s time once it answered: a conflict points at the admission made elsewhere', () => {
    const known = admissionsOf([scan({ sent: 1, server: { result: 'conflict', admittedAt: '2026-12-03T09:58:00.000Z', admittedBy: 'phone-b' } })]);
    expect(known.get(fresh.ticket.id)).toBe('2026-12-03T09:58:00.000Z');
  });

  it('counts no admission for a scan that admitted nobody', () => {
    const known = admissionsOf([
      scan({ verdict: 'already_admitted' }),
      scan({ verdict: 'forged', ticketId: null, name: null }),
      scan({ verdict: 'cancelled', ticketId: cancelled.ticket.id }),
      scan({ verdict: 'unknown', ticketId: null, sent: 1, server: { result: 'unknown', admittedAt: null, admittedBy: null } }),
    ]);
    expect(known.size).toBe(0);
  });

  it('lets the later scan of a ticket decide its time, in the order the scans were made', () => {
    const known = admissionsOf([scan({}), scan({ scannedAt: '2026-12-03T10:05:00.000Z', verdict: 'already_admitted', sent: 1, server: { result: 'already_admitted', admittedAt: '2026-12-03T10:00:01.000Z', admittedBy: 'phone-a' } })]);
    expect(known.get(fresh.ticket.id)).toBe('2026-12-03T10:00:01.000Z');
  });
});

describe('TONE', () => {
  it('lets in green only, asks for a look in amber, keeps out in red', () => {
    expect(Object.entries(TONE).filter(([, tone]) => tone === 'green').map(([verdict]) => verdict)).toEqual(['admitted']);
    expect(TONE.already_admitted).toBe('amber');
    expect(TONE.conflict).toBe('amber');
    for (const verdict of ['cancelled', 'unknown', 'forged'] as const) expect(TONE[verdict]).toBe('red');
  });
});
