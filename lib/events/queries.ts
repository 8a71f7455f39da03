// The organiser's list of events (keyset pages on (created_at, id)) and the
// id and version checks routes make; one event's row is event-row.ts's.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { events, eventUpgrades } from '@/lib/db/schema';
import { toEventDto } from './event-row';
import { isDateInRange, type EventDto } from './schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids that are not UUIDs can name no event: 404 without asking the database. */
export function isEventId(value: string | undefined): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** `ETag: "<version>"` (docs/api.md). */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export async function upgradeLimitOf(db: Queryable, eventId: string): Promise<number | null> {
  const rows = await db
    .select({ limit: eventUpgrades.participantLimit })
    .from(eventUpgrades)
    .where(eq(eventUpgrades.eventId, eventId))
    .limit(1);
  return rows[0]?.limit ?? null;
}

type Cursor = { createdAt: string; id: string };

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** `2020-02-30` parses in JS (as March 1st) but not in Postgres. */
function sameCalendarDay(iso: string): boolean {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10) === iso.slice(0, 10);
}

function decodeCursor(cursor: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!value || typeof value !== 'object') return null;
    const { createdAt, id } = value as Record<string, unknown>;
    // Exactly the shape encodeCursor writes (UTC, microseconds), within the dates Postgres and JS share.
    if (typeof createdAt !== 'string' || !CURSOR_TIME.test(createdAt) || !isDateInRange(createdAt) || !sameCalendarDay(createdAt) || !isEventId(String(id))) return null;
    return { createdAt, id: String(id) };
  } catch {
    return null;
  }
}

export { decodeCursor as parseEventsCursor };

/** The owner's events, newest first, keyset-paginated on (created_at, id). */
export async function listOwnEvents(
  db: Queryable,
  ownerId: string,
  page: { limit: number; cursor?: Cursor | null },
): Promise<{ events: EventDto[]; nextCursor: string | null }> {
  const after = page.cursor
    ? sql`(${events.createdAt}, ${events.id}) < (${page.cursor.createdAt}::timestamptz, ${page.cursor.id}::uuid)`
    : undefined;
  const rows = await db
    .select({
      event: events,
      // Microseconds, which a JS Date would drop: the cursor must sort exactly as the index does.
      cursorAt: sql<string>`to_char(${events.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(events)
    .where(and(eq(events.ownerId, ownerId), after))
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    events: pageRows.map((r) => toEventDto(r.event)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.event.id }) : null,
  };
}
