// The scanner's answer at once, from the snapshot on the device: the code's
// signature checked with the snapshot's verify key (@noble/ed25519), the ticket
// found by the hash of its code, its status and whether this device or the
// last snapshot already saw it admitted. The server's answer comes later.
import { verifyAsync } from '@noble/ed25519';
import { base64UrlDecode, codeHashOf, parseCode, signedMessage } from '@/lib/checkin/code-format';
import type { CheckinSnapshot, SnapshotTicket } from '@/lib/checkin/schemas';
import type { LocalVerdict } from './scanner-store';

export type Verdict = { verdict: LocalVerdict; ticket: SnapshotTicket | null; admittedAt: string | null };

export type TicketIndex = { byHash: Map<string, SnapshotTicket>; verifyKey: Uint8Array | null };

export function indexSnapshot(snapshot: CheckinSnapshot): TicketIndex {
  return { byHash: new Map(snapshot.tickets.map((t) => [t.codeHash, t])), verifyKey: base64UrlDecode(snapshot.verifyKey) };
}

/**
 * `admittedHere` maps a ticket id to the time this device (or the server, in
 * answers it already got) admitted it, beyond what the snapshot says.
 */
export async function judge(eventId: string, code: string, index: TicketIndex, admittedHere: ReadonlyMap<string, string>): Promise<Verdict> {
  const parsed = parseCode(code);
  if (!parsed || !index.verifyKey) return { verdict: 'forged', ticket: null, admittedAt: null };
  let valid = false;
  try {
    valid = await verifyAsync(parsed.signature, signedMessage(eventId, parsed.registrationId), index.verifyKey);
  } catch {
    valid = false;
  }
  if (!valid) return { verdict: 'forged', ticket: null, admittedAt: null };
  const ticket = index.byHash.get(await codeHashOf(code)) ?? null;
  if (!ticket || ticket.status === 'waitlisted') return { verdict: 'unknown', ticket: null, admittedAt: null };
  if (ticket.status === 'cancelled') return { verdict: 'cancelled', ticket, admittedAt: null };
  const admittedAt = admittedHere.get(ticket.id) ?? ticket.checkedInAt;
  if (admittedAt) return { verdict: 'already_admitted', ticket, admittedAt };
  return { verdict: 'admitted', ticket, admittedAt: null };
}
