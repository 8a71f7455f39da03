// Completed answers, kept in this process so a replay needs no database round
// trip. Safe because a completed record never changes until it expires: no
// claim takes over a completed record before its expires_at, and the purge
// deletes only expired ones. So an entry can only ever say what the database
// would say, as long as it is dropped before the record expires. Entries are
// keyed by scope and carry the fingerprint; anything else (another body, a
// record in any other state, a miss) goes to the database.
import type { StoredResponse } from './types';

/** What a replay of a completed record answers. */
export type CachedAnswer = { kind: 'replayed'; response: StoredResponse } | { kind: 'not_stored' };

type Entry = { requestHash: string; answer: CachedAnswer; validUntil: number; bytes: number };

export type ReplayCacheLimits = {
  maxEntries: number;
  maxBytes: number;
  /** No entry outlives this, whatever the record's expiry (bounds clock skew between app and database). */
  maxAgeMs: number;
  /** Entries are dropped this long before the record expires in the database's clock. */
  expiryMarginMs: number;
};

export const DEFAULT_REPLAY_CACHE_LIMITS: ReplayCacheLimits = {
  maxEntries: 20_000,
  maxBytes: 32 * 1024 * 1024,
  maxAgeMs: 60 * 60 * 1000,
  expiryMarginMs: 5 * 60 * 1000,
};

export class ReplayCache {
  // A Map iterates in insertion order: re-inserting on a hit makes it an LRU.
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly limits: ReplayCacheLimits = DEFAULT_REPLAY_CACHE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The answer for this scope and fingerprint, or null when the database must answer. */
  get(scope: string, requestHash: string): CachedAnswer | null {
    const entry = this.entries.get(scope);
    if (!entry) return null;
    if (entry.validUntil <= this.now()) {
      this.delete(scope, entry);
      return null;
    }
    if (entry.requestHash !== requestHash) return null;
    this.entries.delete(scope);
    this.entries.set(scope, entry);
    return entry.answer;
  }

  /**
   * Keeps a completed record's answer: `expiresAt` is the record's expires_at,
   * `bodyBytes` the size of its body (known to the caller, so nothing is serialised again).
   */
  set(scope: string, requestHash: string, answer: CachedAnswer, expiresAt: Date, bodyBytes: number): void {
    const now = this.now();
    const validUntil = Math.min(expiresAt.getTime() - this.limits.expiryMarginMs, now + this.limits.maxAgeMs);
    if (validUntil <= now) return;
    const bytes = scope.length + requestHash.length + bodyBytes + 256;
    if (bytes > this.limits.maxBytes / 16) return; // one answer never crowds out the rest
    const previous = this.entries.get(scope);
    if (previous) this.delete(scope, previous);
    this.entries.set(scope, { requestHash, answer, validUntil, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest, entry);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(scope: string, entry: Entry): void {
    this.entries.delete(scope);
    this.bytes -= entry.bytes;
  }
}
