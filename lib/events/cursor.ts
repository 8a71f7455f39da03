// The one decoder of keyset cursors `(createdAt, id)` that lists hand out
// (events, orders). A cursor is client input: its time must be exactly the
// shape the encoder writes (UTC ISO 8601), a real calendar day, and within the
// dates the contract allows (1970–9999; docs/api.md, "Nothing the client sends
// makes a 500"), or Postgres refuses it (year 0, +010000, 275760) and the list
// would answer 500. A cursor that fails is 400 VALIDATION_FAILED on `cursor`.
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { isDateInRange } from './schemas';

const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export type KeysetCursor = { createdAt: string; id: string };

/**
 * How a list spells its cursor: `json` is base64url of `{"createdAt","id"}`
 * (events), `pipe` base64url of `<createdAt>|<id>` (orders).
 */
export type CursorFormat = 'json' | 'pipe';

/** `2020-02-30` parses in JS (as March 1st) but not in Postgres. */
function sameCalendarDay(iso: string): boolean {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10) === iso.slice(0, 10);
}

/** A cursor's time when it is one Postgres and JS both read as the same instant; null otherwise. */
export function isCursorTime(value: unknown): value is string {
  return typeof value === 'string' && CURSOR_TIME.test(value) && isDateInRange(value) && sameCalendarDay(value);
}

function fields(text: string, format: CursorFormat): { createdAt: unknown; id: unknown } | null {
  if (format === 'pipe') {
    const parts = text.split('|');
    return parts.length === 2 ? { createdAt: parts[0], id: parts[1] } : null;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object') return null;
    const { createdAt, id } = value as Record<string, unknown>;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** The cursor's `(createdAt, id)`, or null when it is not one this list wrote. */
export function decodeKeysetCursor(cursor: string, format: CursorFormat): KeysetCursor | null {
  const found = fields(Buffer.from(cursor, 'base64url').toString('utf8'), format);
  if (!found || !isCursorTime(found.createdAt) || !isUuid(found.id)) return null;
  return { createdAt: found.createdAt, id: found.id };
}

/** As decodeKeysetCursor, with a bad cursor thrown as 400 VALIDATION_FAILED on `cursor`. */
export function keysetCursorOrThrow(cursor: string, format: CursorFormat): KeysetCursor {
  const decoded = decodeKeysetCursor(cursor, format);
  if (!decoded) throw new AppError('VALIDATION_FAILED', { fieldErrors: { cursor: ['invalid'] } });
  return decoded;
}
