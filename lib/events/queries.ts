// The organiser's list of events (keyset pages on (created_at, id)) and the
// id and version checks routes make; one event's row is event-row.ts's.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { events, eventUpgrades } from '@/lib/db/schema';
import { toEventDto } from './event-row';
import { decodeKeysetCursor } from './cursor';
import type { EventDto } from './schemas';

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

/** The list's own cursor back, or null for one it did not write (lib/events/cursor.ts checks its time). */
export function parseEventsCursor(cursor: string): Cursor | null {
  return decodeKeysetCursor(cursor, 'json');
}


/** The owner's events, newest first, keyset-paginated on (created_at, id). */
export async function listOwnEvents(
  db: Queryable,
  teamId: string,
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
    .where(and(eq(events.teamId, teamId), after))
    .orderBy(desc(events.createdAt), desc(events.id))
    .limit(page.limit + 1);
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    events: pageRows.map((r) => toEventDto(r.event)),
    nextCursor: rows.length > page.limit && last ? encodeCursor({ createdAt: last.cursorAt, id: last.event.id }) : null,
  };
}
