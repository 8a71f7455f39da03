// Recording scans at the door (docs/api.md, "Door check-in"). A batch locks
// the tickets it names (their registrations' rows, in id order) and judges its
// scans against what is recorded for them: the earliest scan by `scannedAt` is
// the admission, and the partial unique index checkin_scans_one_admission_key
// refuses a second admission whoever writes. Batches of other tickets run side
// by side; the event's row is not locked (no scan ever waits on it while
// holding a registration, so the lock order of the SSOT holds). A scan's nonce
// is its identity: a resent one is answered from its row and records nothing more.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { checkinScans, type CheckinScanRow, type ScanResult } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { now as currentTime } from '@/lib/clock';
import { lockEvent, readEvent } from '@/lib/events/event-row';
import { idsByReference, lockRegistration, lockTickets, toCheckedInDto, type TicketRow } from '@/lib/registrations/registration-row';
import { normaliseReference } from '@/lib/registrations/reference';
import { isUuid } from '@/lib/ids';
import { setCheckedIn } from '@/lib/registrations/tickets';
import { emitWebhook } from '@/lib/webhooks/emit';
import { verifyWithKey } from './code';
import type { ScanAnswer, ScanBatch } from './schemas';
import type { SigningKey } from './signing-key';

/** The device name of check-ins made with the attendee list's button. */
export const ATTENDEE_LIST_DEVICE = 'attendee-list';

/** A scan whose code has been read: the ticket it names, or null for an unknown or forged code. */
type ResolvedScan = { nonce: string; registrationId: string | null; deviceId: string; scannedAt: Date };

type Admission = { scanId: string; deviceId: string; scannedAt: Date; receivedAt: Date };

export type RecordedScans = {
  /** Each nonce's row as it stands after this call (new or found). */
  byNonce: Map<string, CheckinScanRow>;
  tickets: Map<string, TicketRow>;
  admissions: Map<string, Admission>;
  /** The scans this call made admissions (for the `checkin.admitted` webhook). */
  admitted: CheckinScanRow[];
};

/** A scan as the organiser's API and the `checkin.admitted` webhook show it. */
export function toScanDto(row: CheckinScanRow) {
  return {
    id: row.id,
    nonce: row.nonce,
    eventId: row.eventId,
    registrationId: row.registrationId,
    deviceId: row.deviceId,
    scannedAt: row.scannedAt.toISOString(),
    result: row.result,
  };
}

/**
 * Called once per call of recordResolved with the admissions it recorded, in
 * the same transaction: the one place an admission becomes known, so the
 * `checkin.admitted` webhook is written here (one message per admission).
 */
async function admissionsRecorded(tx: Tx, teamId: string, admitted: CheckinScanRow[]): Promise<void> {
  for (const row of admitted) {
    await emitWebhook(tx, { teamId, type: 'checkin.admitted', data: { scan: toScanDto(row) } });
  }
}

/** A scan made after another admitted the ticket: a conflict when that admission could not have been known to its device. */
function losingResult(scan: { deviceId: string; scannedAt: Date }, admission: Admission): ScanResult {
  if (scan.deviceId === admission.deviceId) return 'already_admitted';
  return scan.scannedAt.getTime() < admission.receivedAt.getTime() ? 'conflict' : 'already_admitted';
}

/**
 * Records scans of the event (the caller has checked it is the organiser's).
 * The tickets named are locked first; then the nonces already
 * recorded are left as they are; the new scans are judged in `scannedAt`
 * order against the recorded admissions. An earlier scan arriving late takes
 * the admission over (the one it displaces becomes a conflict, or
 * already_admitted when made on the same device), and the registration's
 * `checked_in_at` is always its admission's `scannedAt`.
 */
async function recordResolved(tx: Tx, event: { id: string; teamId: string }, scans: ResolvedScan[], doorDeviceId: string | null = null): Promise<RecordedScans> {
  const eventId = event.id;
  const named = [...new Set(scans.flatMap((s) => (s.registrationId ? [s.registrationId] : [])))];
  // The tickets' locks first: a resent nonce, and any earlier admission, are read after whoever held them committed.
  const locked = await lockTickets(tx, eventId, named);
  const now = currentTime();
  const nonces = [...new Set(scans.map((s) => s.nonce))];
  const found = nonces.length ? await tx.select().from(checkinScans).where(inArray(checkinScans.nonce, nonces)) : [];
  const byNonce = new Map(found.map((row) => [row.nonce, row]));

  const fresh: ResolvedScan[] = [];
  const seen = new Set<string>();
  for (const scan of scans) {
    if (byNonce.has(scan.nonce) || seen.has(scan.nonce)) continue;
    seen.add(scan.nonce);
    // A device clock ahead of the server's cannot place a scan in the future.
    fresh.push({ ...scan, scannedAt: scan.scannedAt.getTime() > now.getTime() ? now : scan.scannedAt });
  }

  const tickets = new Map(locked.map((t) => [t.id, t]));
  // A resent nonce's ticket was locked with the others (its scan names it again).
  const ids = [...tickets.keys()];
  const recordedAdmissions = ids.length
    ? await tx
        .select()
        .from(checkinScans)
        .where(and(inArray(checkinScans.registrationId, ids), eq(checkinScans.result, 'admitted')))
    : [];
  const admissions = new Map<string, Admission>(
    recordedAdmissions.flatMap((row) =>
      row.registrationId ? [[row.registrationId, { scanId: row.id, deviceId: row.deviceId, scannedAt: row.scannedAt, receivedAt: row.receivedAt }] as const] : [],
    ),
  );

  fresh.sort((a, b) => a.scannedAt.getTime() - b.scannedAt.getTime() || a.nonce.localeCompare(b.nonce));
  const rows: CheckinScanRow[] = [];
  const rowById = new Map<string, CheckinScanRow>();
  const relabelled = new Map<string, ScanResult>();
  const changedAdmissions = new Set<string>();
  for (const scan of fresh) {
    const ticket = scan.registrationId ? tickets.get(scan.registrationId) : undefined;
    const row: CheckinScanRow = {
      id: randomUUID(),
      nonce: scan.nonce,
      eventId,
      registrationId: ticket ? ticket.id : null,
      deviceId: scan.deviceId,
      doorDeviceId,
      scannedAt: scan.scannedAt,
      receivedAt: now,
      result: 'unknown',
    };
    rows.push(row);
    rowById.set(row.id, row);
    if (!ticket || ticket.status === 'waitlisted') {
      row.registrationId = null;
      continue;
    }
    if (ticket.status === 'cancelled') {
      row.result = 'cancelled';
      continue;
    }
    const admission = admissions.get(ticket.id);
    if (admission && admission.scannedAt.getTime() <= scan.scannedAt.getTime()) {
      row.result = losingResult(scan, admission);
      continue;
    }
    if (admission) {
      // This scan was made before the recorded admission: it is the admission now.
      const displaced = losingResult({ deviceId: admission.deviceId, scannedAt: admission.scannedAt }, { ...admission, deviceId: scan.deviceId, receivedAt: now });
      const inBatch = rowById.get(admission.scanId);
      if (inBatch) inBatch.result = displaced;
      else relabelled.set(admission.scanId, displaced);
    }
    row.result = 'admitted';
    admissions.set(ticket.id, { scanId: row.id, deviceId: scan.deviceId, scannedAt: scan.scannedAt, receivedAt: now });
    changedAdmissions.add(ticket.id);
  }

  // Displaced admissions first: the unique index allows one admitted row per ticket at every statement.
  for (const [scanId, result] of relabelled) {
    await tx.update(checkinScans).set({ result }).where(eq(checkinScans.id, scanId));
    const row = found.find((r) => r.id === scanId);
    if (row) byNonce.set(row.nonce, { ...row, result });
  }
  // Unknown codes lock nothing: the same nonce sent twice at once is recorded once (the other finds it next time).
  if (rows.length) await tx.insert(checkinScans).values(rows).onConflictDoNothing({ target: checkinScans.nonce });
  for (const row of rows) byNonce.set(row.nonce, row);
  // Each changed ticket's checked_in_at = its admission's scannedAt, in one statement.
  const moved = [...changedAdmissions].flatMap((id) => {
    const admission = admissions.get(id);
    return admission ? [{ id, at: admission.scannedAt }] : [];
  });
  await setCheckedIn(tx, moved);
  for (const { id, at } of moved) {
    const ticket = tickets.get(id);
    if (ticket) tickets.set(id, { ...ticket, checkedInAt: at });
  }
  const admitted = rows.filter((r) => r.result === 'admitted');
  if (admitted.length) await admissionsRecorded(tx, event.teamId, admitted);
  return { byNonce, tickets, admissions, admitted };
}

function answerOf(nonce: string, recorded: RecordedScans, eventId: string): ScanAnswer {
  const row = recorded.byNonce.get(nonce);
  // A nonce recorded for another event: judged as nothing of this one.
  if (!row || row.eventId !== eventId) return { nonce, result: 'unknown', ticket: null, admittedAt: null, admittedBy: null };
  const ticket = row.registrationId ? recorded.tickets.get(row.registrationId) : undefined;
  const admission = ticket ? recorded.admissions.get(ticket.id) : undefined;
  return {
    nonce,
    result: row.result,
    ticket: ticket ? { id: ticket.id, name: ticket.name, ticketType: ticket.ticketType } : null,
    admittedAt: admission?.scannedAt.toISOString() ?? null,
    admittedBy: admission?.deviceId ?? null,
  };
}

/** POST /api/events/:id/check-in/scans: a device's batch, answered scan by scan in the order sent. */
/** `key`: loaded on the pool before the transaction (lib/checkin/signing-key.ts), never from inside it. */
export async function recordScanBatch(
  tx: Tx,
  { eventId, teamId, batch, key, doorDeviceId = null }: { eventId: string; teamId: string; batch: ScanBatch; key: SigningKey; doorDeviceId?: string | null },
): Promise<{ results: ScanAnswer[] }> {
  const event = await readEvent(tx, { id: eventId, teamId });
  if (!event) throw new AppError('NOT_FOUND');
  // The signatures are checked before any lock is taken; a code that is no signed code may be a reference typed by hand.
  const signed = batch.scans.map((scan) => verifyWithKey(key, event.id, scan.code));
  const typed = batch.scans.map((scan, i) => (signed[i] ? null : normaliseReference(scan.code)));
  const byReference = await idsByReference(tx, event.id, [...new Set(typed.flatMap((reference) => (reference ? [reference] : [])))]);
  const resolved = batch.scans.map((scan, i) => {
    const reference = typed[i];
    return {
      nonce: scan.nonce.toLowerCase(),
      registrationId: signed[i] ?? (reference ? (byReference.get(reference) ?? null) : null),
      deviceId: batch.deviceId,
      scannedAt: new Date(scan.scannedAt),
    };
  });
  const recorded = await recordResolved(tx, event, resolved, doorDeviceId);
  return { results: resolved.map((scan) => answerOf(scan.nonce, recorded, event.id)) };
}

/**
 * POST /api/events/:id/registrations/:rid/check-in (`:rid` the id or the
 * reference): the attendee list's button is a scan of its own, made now on
 * the device `attendee-list`; a repeat keeps the first admission's time.
 */
export async function checkInRegistration(tx: Tx, { eventId, registration, teamId }: { eventId: string; registration: string; teamId: string }) {
  // By id, or by reference as typed (any case, spaces and dashes, O for 0, I and L for 1).
  const reference = isUuid(registration) ? null : normaliseReference(registration);
  if (!isUuid(registration) && !reference) throw new AppError('NOT_FOUND');
  const event = await lockEvent(tx, { id: eventId, teamId });
  if (!event) throw new AppError('NOT_FOUND');
  const current = await lockRegistration(tx, reference ? { reference, eventId } : { id: registration, eventId });
  if (!current) throw new AppError('NOT_FOUND');
  if (current.status !== 'confirmed') throw new AppError('NOT_CONFIRMED');
  const recorded = await recordResolved(tx, event, [{ nonce: randomUUID(), registrationId: current.id, deviceId: ATTENDEE_LIST_DEVICE, scannedAt: currentTime() }]);
  const ticket = recorded.tickets.get(current.id);
  return { registration: toCheckedInDto({ ...current, checkedInAt: ticket?.checkedInAt ?? current.checkedInAt }) };
}

