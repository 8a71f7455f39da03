// The scanner's verdict from the snapshot alone (no network): signatures
// checked with @noble/ed25519 against a key made by node:crypto, as the
// server signs.
import { createHash, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64UrlEncode, joinCode, parseCode, signedMessage } from '@/lib/checkin/code-format';
import type { CheckinSnapshot, SnapshotTicket } from '@/lib/checkin/schemas';
import { indexSnapshot, judge } from './verdict';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = publicKey.export({ format: 'der', type: 'spki' });
const verifyKey = base64UrlEncode(new Uint8Array(spki.subarray(spki.length - 32)));
const eventId = randomUUID();
const codeFor = (registrationId: string, event = eventId) => joinCode(registrationId, new Uint8Array(sign(null, signedMessage(event, registrationId), privateKey)));
const hash = (code: string) => createHash('sha256').update(code).digest('hex');

function ticket(status: SnapshotTicket['status'], checkedInAt: string | null = null): { ticket: SnapshotTicket; code: string } {
  const id = randomUUID();
  const code = codeFor(id);
  return { code, ticket: { id, codeHash: hash(code), name: `Guest ${status}`, ticketType: null, status, checkedInAt } };
}

const fresh = ticket('confirmed');
const inside = ticket('confirmed', '2026-12-03T07:00:00.000Z');
const cancelled = ticket('cancelled');
const snapshot: CheckinSnapshot = { version: 1, verifyKey, tickets: [fresh.ticket, inside.ticket, cancelled.ticket] };
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
});
