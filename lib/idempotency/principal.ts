// Who an idempotency record belongs to. The layer scopes every record by
// (principal, operation, key): the same key from two principals is two records.

export type Principal =
  /** A signed-in user. */
  | { kind: 'user'; userId: string }
  /** An API key: it acts as its team, not as whoever made it (docs/api.md, "Teams"). */
  | { kind: 'api_key'; apiKeyId: string }
  /** A door device (its bearer token). */
  | { kind: 'device'; deviceId: string }
  /** A visitor without an account, known by an opaque id the caller derived (e.g. a hash of the guest cookie). */
  | { kind: 'guest'; guestId: string }
  /** Neither: the key alone scopes the record. */
  | { kind: 'anonymous' };

/** The principal as the record's `principal` column spells it. */
export function principalScope(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.userId}`;
    case 'api_key':
      return `key:${principal.apiKeyId}`;
    case 'device':
      return `device:${principal.deviceId}`;
    case 'guest':
      return `guest:${principal.guestId}`;
    case 'anonymous':
      return 'anonymous';
  }
}

/** The user the record belongs to (its foreign key), for user principals only. */
export function principalUserId(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.userId : null;
}
