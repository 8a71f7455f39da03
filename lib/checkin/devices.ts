// Door devices (docs/api.md, "Teams, roles and door devices"): a phone at one
// event's door, known by a bearer token (`evd_…`, shown once, stored as its
// SHA-256) that reads that event's check-in snapshot and posts its scans,
// nothing else. The route builder looks the token up on every request, so a
// revoked device is refused on its next contact, on every instance.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit';
import type { Queryable, Tx } from '@/lib/db/pool';
import { doorDevices, events, type DoorDeviceRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { hashToken, newToken } from '@/lib/tokens';
import type { DoorDeviceDto } from './schemas';

export const DEVICE_TOKEN_PREFIX = 'evd_';
/** last_seen_at moves at most this often: a syncing phone does not write on every request. */
const TOUCH_EVERY_SECONDS = 30;

export type { DoorDeviceDto };

export function toDoorDeviceDto(row: Pick<DoorDeviceRow, 'id' | 'name' | 'createdAt' | 'lastSeenAt'>): DoorDeviceDto {
  return { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), lastSeenAt: row.lastSeenAt?.toISOString() ?? null };
}

/**
 * The event is the team's: else NOT_FOUND. The route's caller check found the
 * team by the event; an event that no longer exists (a retried request after a
 * delete) reaches here with the current team instead, and must name nothing.
 */
async function assertTeamEvent(db: Queryable, teamId: string, eventId: string): Promise<void> {
  const rows = await db.select({ id: events.id }).from(events).where(and(eq(events.id, eventId), eq(events.teamId, teamId))).limit(1);
  if (rows.length === 0) throw new AppError('NOT_FOUND');
}

/** A new device for an event of the team; its token is returned once, never stored. */
export async function createDoorDevice(
  tx: Tx,
  input: { teamId: string; eventId: string; name: string; createdBy: string | null; actor: Actor },
): Promise<{ device: DoorDeviceDto; token: string }> {
  await assertTeamEvent(tx, input.teamId, input.eventId);
  const token = `${DEVICE_TOKEN_PREFIX}${newToken()}`;
  const [row] = await tx
    .insert(doorDevices)
    .values({ teamId: input.teamId, eventId: input.eventId, name: input.name, createdBy: input.createdBy, tokenHash: hashToken(token) })
    .returning();
  if (!row) throw new Error('insert into door_devices returned no row');
  await recordAudit(tx, { teamId: input.teamId, actor: input.actor, action: 'device.created', target: { type: 'door_device', id: row.id }, details: { name: row.name, eventId: row.eventId } });
  return { device: toDoorDeviceDto(row), token };
}

/** The live devices of an event of the team, newest first; NOT_FOUND for another team's or no event. */
export async function listDoorDevices(db: Queryable, teamId: string, eventId: string): Promise<DoorDeviceDto[]> {
  await assertTeamEvent(db, teamId, eventId);
  const rows = await db
    .select()
    .from(doorDevices)
    .where(and(eq(doorDevices.eventId, eventId), isNull(doorDevices.revokedAt)))
    .orderBy(desc(doorDevices.createdAt), desc(doorDevices.id));
  return rows.map(toDoorDeviceDto);
}

/** Revokes one of the event's live devices; another event's, unknown or revoked is NOT_FOUND. */
export async function revokeDoorDevice(tx: Tx, input: { teamId: string; eventId: string; deviceId: string; actor: Actor }): Promise<void> {
  if (!isUuid(input.deviceId)) throw new AppError('NOT_FOUND');
  const [row] = await tx
    .update(doorDevices)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(doorDevices.id, input.deviceId), eq(doorDevices.eventId, input.eventId), eq(doorDevices.teamId, input.teamId), isNull(doorDevices.revokedAt)))
    .returning();
  if (!row) throw new AppError('NOT_FOUND');
  await recordAudit(tx, { teamId: input.teamId, actor: input.actor, action: 'device.revoked', target: { type: 'door_device', id: row.id }, details: { name: row.name, eventId: row.eventId } });
}

/** A live device as a request presents it. */
export type DeviceHolder = { deviceId: string; teamId: string; eventId: string; name: string };

/** The live device a bearer token names, or null (unknown or revoked); moves last_seen_at. On the pool, before any transaction. */
export async function deviceForToken(db: Queryable, token: string): Promise<DeviceHolder | null> {
  if (!token.startsWith(DEVICE_TOKEN_PREFIX) || token.length > 200) return null;
  const result = await db.execute<{ id: string; team_id: string; event_id: string; name: string }>(sql`
    with d as (
      select id, team_id, event_id, name, last_seen_at from ${doorDevices} where token_hash = ${hashToken(token)} and revoked_at is null
    ), touched as (
      update ${doorDevices} x set last_seen_at = now() from d
      where x.id = d.id and (d.last_seen_at is null or d.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}))
      returning x.id
    )
    select d.id, d.team_id, d.event_id, d.name from d`);
  const row = result.rows[0];
  return row ? { deviceId: row.id, teamId: row.team_id, eventId: row.event_id, name: row.name } : null;
}
