// Exactly-once execution of an operation: claim, execute and complete in one
// transaction, replay. Knows nothing of HTTP, of the operations it runs or of
// languages: the operation says how it ended, and the layer stores and replays
// plain answers. The rules: docs/ssot/SSOT_ARCHITECTURE.md (Idempotency Standard).
import { getDb, type Database, type Tx } from '@/lib/db/pool';
import { differingPointers, requestFingerprint } from './fingerprint';
import { transactionFinishingWith } from '@/lib/db/transaction';
import { type Claim, claim, completionStatement, findRecord, isLeaseLost, settle } from './store';
import { recordOutcome, type IdempotencyOutcome } from './observe';
import { faultAfterClaim } from './faults';
import { type Principal, principalScope } from './principal';
import { ReplayCache, type CachedAnswer } from './replay-cache';

export const STORED_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_LEASE_SECONDS = 15;
const CLAIM_ATTEMPTS = 3;

/** An answer as the layer stores and replays it. */
export type StoredResponse = {
  status: number;
  /** Any JSON value, or null for none. */
  body: unknown;
  headers: Record<string, string>;
};

export type Resource = { type: string; id: string };

/** How the operation ended; the layer never guesses it from the answer. */
export type OperationOutcome =
  /** Its effects commit with the record, and the answer is replayed from now on. */
  | { kind: 'completed'; response: StoredResponse; resource?: Resource }
  /** Nothing but the record commits; the answer is replayed until a confirming request takes the record over. */
  | { kind: 'awaiting_confirmation'; response: StoredResponse }
  /** Its effects roll back; the record is failed and the same key may run again. */
  | { kind: 'refused'; response: StoredResponse };

/** The record being executed, for operations that link their writes to it (a ledger row's key). */
export type ClaimedRecord = { id: string; attempt: number; confirming: boolean };

export type Operation = (tx: Tx, record: ClaimedRecord) => Promise<OperationOutcome>;

export type IdempotentRequest = {
  principal: Principal;
  /** The operation's name, its method and route template, e.g. `POST /api/events`: part of the scope. */
  operation: string;
  method: string;
  key: string;
  params: Record<string, string>;
  /** The request's parsed JSON body (null for none); the fingerprint is taken over it. */
  body: unknown;
  /** The caller confirms: it may take over a record awaiting confirmation. */
  confirming: boolean;
  /** Which headers of the answer are stored and replayed (case-insensitive names). */
  replayedHeaders?: readonly string[];
  leaseSeconds?: number;
  db?: Database;
};

/** What the layer did; lib/http turns each into its HTTP answer. */
export type IdempotencyResult =
  /** The operation ran under this request. */
  | { kind: 'executed'; outcome: OperationOutcome['kind']; response: StoredResponse }
  /** A completed (or awaiting) record's stored answer; the operation did not run. */
  | { kind: 'replayed'; response: StoredResponse }
  /** Completed, but its answer was over the storage limit. */
  | { kind: 'not_stored' }
  /** Another request holds the record. */
  | { kind: 'in_progress'; retryAfterSeconds: number }
  /** The key was used for another request: JSON Pointers into the body, names of params. */
  | { kind: 'mismatch'; differingFields: string[]; differingParams: string[] };

const DEFAULT_REPLAYED_HEADERS = ['Location', 'ETag'];

/** Thrown inside the transaction to roll it back while keeping the operation's outcome. */
class RolledBack extends Error {
  constructor(readonly outcome: Exclude<OperationOutcome, { kind: 'completed' }>) {
    super('operation did not complete');
  }
}

// One per process (a production build may load this module once per route bundle).
const cacheKey = Symbol.for('event-app.idempotency.replay-cache');
const processWide = globalThis as typeof globalThis & { [cacheKey]?: ReplayCache };
const replayCache = processWide[cacheKey] ?? new ReplayCache();
processWide[cacheKey] = replayCache;

/** Forgets every cached answer of this process (tests that rewrite records behind the layer's back). */
export function clearReplayCache(): void {
  replayCache.clear();
}

export function leaseSecondsFromEnv(): number {
  const configured = Number(process.env.IDEMPOTENCY_LEASE_SECONDS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_LEASE_SECONDS;
}

function pickHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = lower.get(name.toLowerCase());
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

export async function withIdempotency(request: IdempotentRequest, operation: Operation): Promise<IdempotencyResult> {
  const started = performance.now();
  const db = request.db ?? getDb();
  const leaseSeconds = request.leaseSeconds ?? leaseSecondsFromEnv();
  const scope = { principal: request.principal, route: request.operation, key: request.key };
  const requestHash = requestFingerprint({
    method: request.method,
    route: request.operation,
    params: request.params,
    body: request.body,
  });
  const requestBody = { params: request.params, body: request.body ?? null };
  const cacheScope = `${principalScope(request.principal)}\n${request.operation}\n${request.key}`;

  const done = (outcome: IdempotencyOutcome, status: number, result: IdempotencyResult, extra: { attempt?: number; leaseLost?: boolean } = {}) => {
    recordOutcome({ route: request.operation, key: request.key, outcome, status, started, ...extra });
    return result;
  };
  const inProgress = (retryAfterSeconds: number, extra: { attempt?: number; leaseLost?: boolean } = {}) =>
    done('in_progress', 409, { kind: 'in_progress', retryAfterSeconds }, extra);

  const cached = replayCache.get(cacheScope, requestHash);
  if (cached) return done('replayed', cached.kind === 'replayed' ? cached.response.status : 409, cached);

  for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
    const claimed = await claim(db, { ...scope, requestHash, requestBody, leaseSeconds, confirming: request.confirming });
    if (claimed) return execute(claimed);

    const existing = await findRecord(db, scope);
    // Gone (purged) or changed between the two statements: claim again.
    if (!existing || existing.expired) continue;

    if (existing.requestHash !== requestHash) {
      const stored = existing.requestBody;
      return done('mismatch', 422, {
        kind: 'mismatch',
        differingFields: differingPointers(stored?.body ?? null, request.body ?? null),
        differingParams: differingPointers(stored?.params ?? {}, request.params).map((p) => p.slice(1)),
      });
    }
    if (existing.status === 'in_progress') return inProgress(existing.retryAfterSeconds);
    if (existing.status === 'completed' || (existing.status === 'awaiting_confirmation' && !request.confirming)) {
      const answer: CachedAnswer =
        !existing.responseStored || existing.responseStatus === null
          ? { kind: 'not_stored' }
          : {
              kind: 'replayed',
              response: { status: existing.responseStatus, body: existing.responseBody ?? null, headers: existing.responseHeaders ?? {} },
            };
      // Only a completed record is final; one awaiting confirmation may still be taken over.
      if (existing.status === 'completed') replayCache.set(cacheScope, requestHash, answer, existing.expiresAt, existing.responseBytes);
      return done('replayed', answer.kind === 'replayed' ? answer.response.status : 409, answer);
    }
    // failed, or awaiting while confirming, yet not claimable: it changed under us. Claim again.
  }
  // Only a record that keeps changing under us lands here: as good as in progress.
  return inProgress(1);

  async function execute(claimed: Claim): Promise<IdempotencyResult> {
    const takenOver = claimed.previousStatus === 'in_progress';
    const record: ClaimedRecord = { id: claimed.id, attempt: claimed.attempt, confirming: request.confirming };
    const attempt = { attempt: claimed.attempt };
    await faultAfterClaim();
    try {
      const { value, rows } = await transactionFinishingWith(db, async (tx, literal) => {
        const outcome = await operation(tx, record);
        if (outcome.kind !== 'completed') throw new RolledBack(outcome);
        const { response: answer, resource } = outcome;
        const stored: StoredResponse = {
          status: answer.status,
          body: answer.body,
          headers: pickHeaders(answer.headers, request.replayedHeaders ?? DEFAULT_REPLAYED_HEADERS),
        };
        // Serialised once: for the size limit and for the stored copy.
        const bodyJson = answer.body === null ? null : JSON.stringify(answer.body);
        const size = bodyJson === null ? 0 : Buffer.byteLength(bodyJson);
        const statement = completionStatement(literal, claimed, {
          status: stored.status,
          bodyJson,
          headers: stored.headers,
          stored: size <= STORED_BODY_LIMIT_BYTES,
          resourceType: resource?.type,
          resourceId: resource?.id,
        });
        return { statement, value: { answer, stored, size } };
      });
      const { answer, stored, size } = value;
      const expiresAt = rows[0]?.expires_at;
      if (!(expiresAt instanceof Date)) throw new Error('completing the idempotency record returned no expiry');
      // Committed: from now on the record answers this, and so may the cache.
      const replay: CachedAnswer = size <= STORED_BODY_LIMIT_BYTES ? { kind: 'replayed', response: stored } : { kind: 'not_stored' };
      replayCache.set(cacheScope, requestHash, replay, expiresAt, size);
      return done(takenOver ? 'taken_over' : 'stored', answer.status, { kind: 'executed', outcome: 'completed', response: answer }, attempt);
    } catch (error) {
      if (isLeaseLost(error)) return inProgress(1, { leaseLost: true, ...attempt });
      if (error instanceof RolledBack) {
        const { kind, response } = error.outcome;
        const kept = await settle(db, claimed, kind === 'refused' ? 'failed' : 'awaiting_confirmation', response);
        if (kind === 'awaiting_confirmation' && !kept) return inProgress(1, { leaseLost: true, ...attempt });
        return done(kind === 'refused' ? 'failed' : 'awaiting_confirmation', response.status, { kind: 'executed', outcome: kind, response }, attempt);
      }
      // An unexpected error: the transaction rolled back; leave the record
      // retryable if the database still answers, else the lease will lapse.
      await settle(db, claimed, 'failed', null).catch(() => false);
      recordOutcome({ route: request.operation, key: request.key, outcome: 'failed', status: 500, started, ...attempt });
      throw error;
    }
  }
}
