// The scanner's answer at once, from the snapshot on the device: the code's
// signature checked with the snapshot's verify key (@noble/ed25519), the ticket
// found by the hash of its code (or by its reference, when one is typed by
// hand), its status and whether this device or the last snapshot already saw
// it admitted. The server's answer comes later.
import { verifyAsync } from '@noble/ed25519';
import { base64UrlDecode, codeHashOf, parseCode, signedMessage } from '@/lib/checkin/code-format';
import { SCANNED_CODE_MAX, type CheckinSnapshot, type SnapshotTicket } from '@/lib/checkin/schemas';
import { normaliseReference } from '@/lib/registrations/reference';
import type { LocalVerdict, StoredScan } from './scanner-store';

export type Verdict = { verdict: LocalVerdict; ticket: SnapshotTicket | null; admittedAt: string | null };

export type TicketIndex = { byHash: Map<string, SnapshotTicket>; byReference: Map<string, SnapshotTicket>; verifyKey: Uint8Array | null };

export type Tone = 'green' | 'amber' | 'red';

/** What the door person sees and hears: green goes in, amber needs a look, red stays out. */
export const TONE: Record<LocalVerdict, Tone> = {
  admitted: 'green',
  already_admitted: 'amber',
  conflict: 'amber',
  cancelled: 'red',
  unknown: 'red',
  forged: 'red',
};

/**
 * The camera sees a code many times a second: a code read again less than this
 * long after it was last in view is the same scan. Shown again after it left
 * the frame for longer, it is a new scan (and told already admitted). A code
 * typed by hand is always a new scan (the field empties on Check, so a double
 * tap sends nothing twice): typed again, it is answered again.
 */
export const SAME_CODE_MS = 5_000;

/** A read or typed code as the scanner judges it: trimmed and cut to what a code can be; null when nothing is left. */
export function scannedCode(raw: string): string | null {
  const code = raw.trim().slice(0, SCANNED_CODE_MAX);
  return code === '' ? null : code;
}

/**
 * `isNewScan(code, now)` says whether a sighting at `now` (ms) starts a new
 * scan; every sighting, new or not, restarts the code's window.
 */
export function sightings(windowMs = SAME_CODE_MS): { isNewScan(code: string, now: number): boolean } {
  const lastSeen = new Map<string, number>();
  return {
    isNewScan(code, now) {
      const last = lastSeen.get(code);
      lastSeen.set(code, now);
      return last === undefined || now - last >= windowMs;
    },
  };
}

/**
 * The admissions a device knows of from its own scans, sent or still queued:
 * the server's time where it answered, else the device's own admission.
 */
export function admissionsOf(scans: readonly StoredScan[]): Map<string, string> {
  const admitted = new Map<string, string>();
  for (const s of scans) {
    const at = s.server?.admittedAt ?? (s.verdict === 'admitted' ? s.scannedAt : null);
    if (s.ticketId && at) admitted.set(s.ticketId, at);
  }
  return admitted;
}

export function indexSnapshot(snapshot: CheckinSnapshot): TicketIndex {
  return {
    byHash: new Map(snapshot.tickets.map((t) => [t.codeHash, t])),
    // A snapshot stored before references existed has none: typed references then wait for the next one.
    byReference: new Map(snapshot.tickets.flatMap((t) => (typeof t.reference === 'string' ? [[t.reference, t] as const] : []))),
    verifyKey: base64UrlDecode(snapshot.verifyKey),
  };
}

/**
 * `admittedHere` maps a ticket id to the time this device (or the server, in
 * answers it already got) admitted it, beyond what the snapshot says.
 */
export async function judge(eventId: string, code: string, index: TicketIndex, admittedHere: ReadonlyMap<string, string>): Promise<Verdict> {
  const parsed = parseCode(code);
  if (!parsed) {
    // Not a signed code: a reference typed by hand (any case, spaces, dashes, O for 0, I and L for 1), or nothing valid.
    const reference = normaliseReference(code);
    if (!reference) return { verdict: 'forged', ticket: null, admittedAt: null };
    return verdictOf(index.byReference.get(reference) ?? null, admittedHere);
  }
  if (!index.verifyKey) return { verdict: 'forged', ticket: null, admittedAt: null };
  let valid = false;
  try {
    valid = await verifyAsync(parsed.signature, signedMessage(eventId, parsed.registrationId), index.verifyKey);
  } catch {
    valid = false;
  }
  if (!valid) return { verdict: 'forged', ticket: null, admittedAt: null };
  return verdictOf(index.byHash.get(await codeHashOf(code)) ?? null, admittedHere);
}

function verdictOf(ticket: SnapshotTicket | null, admittedHere: ReadonlyMap<string, string>): Verdict {
  if (!ticket || ticket.status === 'waitlisted') return { verdict: 'unknown', ticket: null, admittedAt: null };
  if (ticket.status === 'cancelled') return { verdict: 'cancelled', ticket, admittedAt: null };
  const admittedAt = admittedHere.get(ticket.id) ?? ticket.checkedInAt;
  if (admittedAt) return { verdict: 'already_admitted', ticket, admittedAt };
  return { verdict: 'admitted', ticket, admittedAt: null };
}
