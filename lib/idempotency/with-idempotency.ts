// Exactly-once execution of an operation: claim, execute and complete in one
// transaction, replay. Knows nothing of HTTP, of the operations it runs or of
// languages: the operation says how it ended, and the layer stores and replays
// plain answers. The rules: docs/ssot/SSOT_ARCHITECTURE.md (Idempotency Standard).
import { getDb, type Database, type Tx } from '@/lib/db/pool';
import { differingPointers, requestFingerprint } from './fingerprint';
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@/lib/db/errors';
import { transactionFinishingWith } from '@/lib/db/transaction';
import {
  type Claim,
  claim,
  completionStatement,
  type ExistingRecord,
  findRecord,
  isClaimable,
  isLeaseLost,
  lockAndReadStatements,
  oneTransactionCompletion,
  parseLockedRead,
  recordUnfinished,
  settle,
} from './store';
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
  /**
   * Claim the key under a lease, in a commit of its own, before the operation
   * runs: for operations that wait on a slow outside service (opening a
   * payment session), whose attempt should show as in progress to others and
   * to an outcome lookup while it waits. Without it (the default) a first
   * execution is one transaction: the key's advisory lock, the operation, and
   * the record written once, completed.
   */
  leased?: boolean;
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

/** Thrown by the one-transaction path when it may not run: the key's lock is held elsewhere, or its record forbids it. */
class NotClaimed extends Error {
  constructor(
    readonly locked: boolean,
    readonly record: ExistingRecord | null,
  ) {
    super('idempotency key not claimed');
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

  return request.leased ? runLeased() : runInOneTransaction();

  /** The answer a record gives to a request that cannot run over it; null: it changed under us, read again. */
  function answerFromRecord(existing: ExistingRecord): IdempotencyResult | null {
    if (existing.expired) return null;
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
    // failed, or awaiting while confirming, yet not claimable: it changed under us.
    return null;
  }

  /** What the operation answered, as stored; its size decides whether a replay can answer it in full. */
  function storedOf(outcome: Extract<OperationOutcome, { kind: 'completed' }>) {
    const { response: answer, resource } = outcome;
    const stored: StoredResponse = {
      status: answer.status,
      body: answer.body,
      headers: pickHeaders(answer.headers, request.replayedHeaders ?? DEFAULT_REPLAYED_HEADERS),
    };
    // Serialised once: for the size limit and for the stored copy.
    const bodyJson = answer.body === null ? null : JSON.stringify(answer.body);
    const size = bodyJson === null ? 0 : Buffer.byteLength(bodyJson);
    const completion = {
      status: stored.status,
      bodyJson,
      headers: stored.headers,
      stored: size <= STORED_BODY_LIMIT_BYTES,
      resourceType: resource?.type,
      resourceId: resource?.id,
    };
    return { answer, stored, size, completion };
  }

  /** Committed: from now on the record answers this, and so may the cache. */
  function completed(
    value: { answer: StoredResponse; stored: StoredResponse; size: number },
    rows: Record<string, unknown>[],
    claimed: Claim,
  ): IdempotencyResult {
    const { answer, stored, size } = value;
    const expiresAt = rows[0]?.expires_at;
    if (!(expiresAt instanceof Date)) throw new Error('completing the idempotency record returned no expiry');
    const replay: CachedAnswer = size <= STORED_BODY_LIMIT_BYTES ? { kind: 'replayed', response: stored } : { kind: 'not_stored' };
    replayCache.set(cacheScope, requestHash, replay, expiresAt, size);
    const takenOver = claimed.previousStatus === 'in_progress';
    return done(takenOver ? 'taken_over' : 'stored', answer.status, { kind: 'executed', outcome: 'completed', response: answer }, {
      attempt: claimed.attempt,
    });
  }

  async function runInOneTransaction(): Promise<IdempotencyResult> {
    const requestRow = { ...scope, requestHash, requestBody };
    for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
      // Set once the operation may run: what a failure reports and records.
      let claimedAttempt: number | undefined;
      try {
        const { value, rows } = await transactionFinishingWith(
          db,
          async (tx, literal, opened) => {
            const { locked, record: existing } = parseLockedRead(opened);
            if (!locked || (existing && !isClaimable(existing, requestHash, request.confirming))) {
              throw new NotClaimed(locked, existing);
            }
            const claimed: Claim = existing
              ? { id: existing.expired ? randomUUID() : existing.id, attempt: existing.attempt + 1, previousStatus: existing.status }
              : { id: randomUUID(), attempt: 1, previousStatus: null };
            claimedAttempt = claimed.attempt;
            await faultAfterClaim();
            const outcome = await operation(tx, { id: claimed.id, attempt: claimed.attempt, confirming: request.confirming });
            if (outcome.kind !== 'completed') throw new RolledBack(outcome);
            const { completion, ...stored } = storedOf(outcome);
            return { statement: oneTransactionCompletion(literal, requestRow, claimed, existing, completion), value: { ...stored, claimed } };
          },
          (literal) => lockAndReadStatements(literal, scope),
        );
        return completed(value, rows, value.claimed);
      } catch (error) {
        if (error instanceof NotClaimed) {
          // The record's own answer (replay, 422, a live lease's 409) where it
          // has one; else, with the lock held elsewhere, a holder is at work
          // on this key right now: 409 until its transaction ends.
          const answer = error.record ? answerFromRecord(error.record) : null;
          if (answer) return answer;
          if (!error.locked) return inProgress(1);
          continue;
        }
        // A duplicate wrote the record first, or the record changed under us (a purge): read it again.
        if (isUniqueViolation(error) || isLeaseLost(error)) continue;
        const attempt = { attempt: claimedAttempt };
        if (error instanceof RolledBack) {
          const { kind, response } = error.outcome;
          const kept = await recordUnfinished(db, requestRow, kind === 'refused' ? 'failed' : 'awaiting_confirmation', response);
          if (kind === 'awaiting_confirmation' && !kept) return inProgress(1, attempt);
          return done(kind === 'refused' ? 'failed' : 'awaiting_confirmation', response.status, { kind: 'executed', outcome: kind, response }, attempt);
        }
        // An unexpected error rolled everything back; a retry with another body is still told apart.
        if (claimedAttempt !== undefined) await recordUnfinished(db, requestRow, 'failed', null).catch(() => false);
        recordOutcome({ route: request.operation, key: request.key, outcome: 'failed', status: 500, started, ...attempt });
        throw error;
      }
    }
    // Only a record that keeps changing under us lands here: as good as in progress.
    return inProgress(1);
  }

  async function runLeased(): Promise<IdempotencyResult> {
    for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
      const claimed = await claim(db, { ...scope, requestHash, requestBody, leaseSeconds, confirming: request.confirming });
      if (claimed) return executeLeased(claimed);

      const existing = await findRecord(db, scope);
      // Gone (purged) or changed between the two statements: claim again.
      if (!existing) continue;
      const answer = answerFromRecord(existing);
      if (answer) return answer;
    }
    return inProgress(1);
  }

  async function executeLeased(claimed: Claim): Promise<IdempotencyResult> {
    const record: ClaimedRecord = { id: claimed.id, attempt: claimed.attempt, confirming: request.confirming };
    const attempt = { attempt: claimed.attempt };
    await faultAfterClaim();
    try {
      const { value, rows } = await transactionFinishingWith(db, async (tx, literal) => {
        const outcome = await operation(tx, record);
        if (outcome.kind !== 'completed') throw new RolledBack(outcome);
        const { completion, ...value } = storedOf(outcome);
        return { statement: completionStatement(literal, claimed, completion), value };
      });
      return completed(value, rows, claimed);
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
