/** What `If-Match` asks for: whether it was sent, and the version it names (null when it names none). */
export type IfMatch = { given: boolean; version: number | null };

/** `"3"`, `W/"3"` or a bare `3` name version 3; anything else names no version. */
export function ifMatchOf(request: Request): IfMatch {
  const header = request.headers.get('if-match');
  if (header === null) return { given: false, version: null };
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return { given: true, version: match ? Number(match[1]) : null };
}
