// The app's ids are UUIDs (any version, any case). A path or cursor value that
// is not one names no row: callers answer 404 (or 400) without asking the
// database, which would reject it as a malformed uuid anyway. Browser-safe.

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
