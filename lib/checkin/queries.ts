// What the door and the organiser read (docs/api.md, "Door check-in"): the
// snapshot a scanner admits from offline, and the counts and conflicts of
// /events/:id/check-in.
import { createHash } from 'node:crypto';
import { aliasedTable, and, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { checkinScans, registrations, ticketTypes } from '@/lib/db/schema';
import { processSingleton } from '@/lib/process-singleton';
import { readEvent } from '@/lib/events/event-row';
import { listTickets } from '@/lib/registrations/registration-row';
import { codeWithKey } from './code';
import type { CheckinSnapshot, CheckinSummary } from './schemas';
import { signingKey, type SigningKey } from './signing-key';

const isoOrNull = (at: Date | null): string | null => at?.toISOString() ?? null;

/**
 * Code hashes already computed by this process, by event and registration: a
 * code never changes (the key is one for all instances and the signature is
 * deterministic), and signing 2,000 codes costs a snapshot about 150 ms.
 */
const HASHES_MAX = 200_000;

function codeHashOf(key: SigningKey, eventId: string, registrationId: string): string {
  const cache = processSingleton('checkin.code-hashes', () => new Map<string, string>());
  const id = `${key.verifyKey}:${eventId}:${registrationId}`;
  const known = cache.get(id);
  if (known) return known;
  const hash = createHash('sha256').update(codeWithKey(key, { eventId, registrationId })).digest('hex');
  if (cache.size >= HASHES_MAX) cache.clear();
  cache.set(id, hash);
  return hash;
}

/** The owner's event's tickets, each by the hash of its code, with the key that verifies codes; null when the event is not theirs. */
export async function checkinSnapshot(db: Queryable, eventId: string, teamId: string): Promise<CheckinSnapshot | null> {
  const event = await readEvent(db, { id: eventId, teamId });
  if (!event) return null;
  // The key is loaded on the pool: the snapshot is read outside any transaction.
  const key = await signingKey();
  const tickets = await listTickets(db, event.id);
  return {
    version: Date.now(),
    verifyKey: key.verifyKey,
    tickets: tickets.map((t) => ({
      id: t.id,
      codeHash: codeHashOf(key, event.id, t.id),
      reference: t.reference,
      name: t.name,
      ticketType: t.ticketType,
      status: t.status,
      checkedInAt: isoOrNull(t.checkedInAt),
    })),
  };
}

/** Admitted against expected, and every conflict with both devices and times; null when the event is not theirs. */
export async function checkinSummary(db: Queryable, eventId: string, teamId: string): Promise<CheckinSummary | null> {
  const event = await readEvent(db, { id: eventId, teamId });
  if (!event) return null;
  const [admitted] = await db
    .select({ n: count() })
    .from(registrations)
    .where(and(eq(registrations.eventId, event.id), eq(registrations.status, 'confirmed'), isNotNull(registrations.checkedInAt)));
  const [scans] = await db.select({ n: count() }).from(checkinScans).where(eq(checkinScans.eventId, event.id));
  const admission = aliasedTable(checkinScans, 'admission');
  const conflicts = await db
    .select({
      scanId: checkinScans.id,
      ticketId: registrations.id,
      name: registrations.name,
      ticketType: sql<string | null>`(select ${ticketTypes.name} from ${ticketTypes} where ${ticketTypes.id} = ${registrations.ticketTypeId})`,
      deviceId: checkinScans.deviceId,
      scannedAt: checkinScans.scannedAt,
      admittedBy: admission.deviceId,
      admittedAt: admission.scannedAt,
    })
    .from(checkinScans)
    .innerJoin(registrations, eq(registrations.id, checkinScans.registrationId))
    .innerJoin(admission, and(eq(admission.registrationId, checkinScans.registrationId), eq(admission.result, 'admitted')))
    .where(and(eq(checkinScans.eventId, event.id), eq(checkinScans.result, 'conflict')))
    .orderBy(checkinScans.scannedAt);
  return {
    admitted: admitted?.n ?? 0,
    expected: event.confirmedCount,
    scans: scans?.n ?? 0,
    conflicts: conflicts.map((c) => ({
      scanId: c.scanId,
      ticket: { id: c.ticketId, name: c.name, ticketType: c.ticketType },
      admission: { deviceId: c.admittedBy, scannedAt: c.admittedAt.toISOString() },
      conflicting: { deviceId: c.deviceId, scannedAt: c.scannedAt.toISOString() },
    })),
  };
}
