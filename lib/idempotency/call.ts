// One request through the layer: its scope and fingerprint, and the steps both
// paths (one-transaction.ts, leased.ts) share: the cached replay, the answer a
// record gives to a request that may not run over it, what a completed
// operation stores, and what happens after a rollback.
import { getDb, type Database } from '@/lib/db/pool';
import { processSingleton } from '@/lib/process-singleton';
import { differingPointers, requestFingerprint } from './fingerprint';
import { recordOutcome, type IdempotencyOutcome } from './observe';
import { principalScope } from './principal';
import { type CachedAnswer, ReplayCache } from './replay-cache';
import type { Claim, Completion, ExistingRecord, Request, Scope } from './store';
import type { IdempotencyResult, IdempotentRequest, OperationOutcome, StoredResponse } from './types';

export const STORED_BODY_LIMIT_BYTES = 64 * 1024;
/** How many times a request reads and tries to claim a record that keeps changing under it before it answers 409. */
export const CLAIM_ATTEMPTS = 3;
const DEFAULT_REPLAYED_HEADERS = ['Location', 'ETag'];

// One per process (a production build may load this module once per route bundle).
const replayCache = processSingleton('idempotency.replay-cache', () => new ReplayCache());

/** Forgets every cached answer of this process (tests that rewrite records behind the layer's back). */
export function clearReplayCache(): void {
  replayCache.clear();
}

/** Thrown inside the transaction to roll it back while keeping the operation's outcome. */
export class RolledBack extends Error {
  constructor(readonly outcome: Exclude<OperationOutcome, { kind: 'completed' }>) {
    super('operation did not complete');
  }
}

/** What a completed operation answered, as stored; its size decides whether a replay can answer it in full. */
export type Answered = { answer: StoredResponse; stored: StoredResponse; size: number };

type Extra = { attempt?: number; leaseLost?: boolean };

/** How a path writes the record of an attempt that rolled back; false: the record was left alone. */
export type WriteUnfinished = (status: 'failed' | 'awaiting_confirmation', response: StoredResponse | null) => Promise<boolean>;

export class IdempotentCall {
  readonly started = performance.now();
  readonly db: Database;
  readonly scope: Scope;
  readonly requestHash: string;
  readonly row: Request;
  private readonly cacheScope: string;

  constructor(readonly request: IdempotentRequest) {
    this.db = request.db ?? getDb();
    this.scope = { principal: request.principal, route: request.operation, key: request.key };
    this.requestHash = requestFingerprint({ method: request.method, route: request.operation, params: request.params, body: request.body });
    const requestBody = { params: request.params, body: request.body ?? null };
    this.row = { ...this.scope, requestHash: this.requestHash, requestBody, confirming: request.confirming };
    this.cacheScope = `${principalScope(request.principal)}\n${request.operation}\n${request.key}`;
  }

  /** Logs and reports what the layer did, and returns it. */
  done(outcome: IdempotencyOutcome, status: number, result: IdempotencyResult, extra: Extra = {}): IdempotencyResult {
    recordOutcome({ route: this.request.operation, key: this.request.key, outcome, status, started: this.started, ...extra });
    return result;
  }

  inProgress(retryAfterSeconds: number, extra: Extra = {}): IdempotencyResult {
    return this.done('in_progress', 409, { kind: 'in_progress', retryAfterSeconds }, extra);
  }

  /** This process's copy of the record's answer, when it has one for this fingerprint. */
  cached(): IdempotencyResult | null {
    const cached = replayCache.get(this.cacheScope, this.requestHash);
    return cached ? this.done('replayed', cached.kind === 'replayed' ? cached.response.status : 409, cached) : null;
  }

  /** The answer a record gives to a request that may not run over it; null: it changed under us, read again. */
  answerFrom(existing: ExistingRecord): IdempotencyResult | null {
    if (existing.expired) return null;
    if (existing.requestHash !== this.requestHash) {
      const stored = existing.requestBody;
      return this.done('mismatch', 422, {
        kind: 'mismatch',
        differingFields: differingPointers(stored?.body ?? null, this.request.body ?? null),
        differingParams: differingPointers(stored?.params ?? {}, this.request.params).map((p) => p.slice(1)),
      });
    }
    if (existing.status === 'in_progress') return this.inProgress(existing.retryAfterSeconds);
    if (existing.status === 'completed' || (existing.status === 'awaiting_confirmation' && !this.request.confirming)) {
      const answer: CachedAnswer =
        !existing.responseStored || existing.responseStatus === null
          ? { kind: 'not_stored' }
          : {
              kind: 'replayed',
              response: { status: existing.responseStatus, body: existing.responseBody ?? null, headers: existing.responseHeaders ?? {} },
            };
      // Only a completed record is final; one awaiting confirmation may still be taken over.
      if (existing.status === 'completed') replayCache.set(this.cacheScope, this.requestHash, answer, existing.expiresAt, existing.responseBytes);
      return this.done('replayed', answer.kind === 'replayed' ? answer.response.status : 409, answer);
    }
    // failed, or awaiting while confirming, yet not claimable: it changed under us.
    return null;
  }

  /** What the operation answered, as stored, and the record's completion columns. */
  completion(outcome: Extract<OperationOutcome, { kind: 'completed' }>): Answered & { completion: Completion } {
    const { response: answer, resource } = outcome;
    const stored: StoredResponse = {
      status: answer.status,
      body: answer.body,
      headers: pickHeaders(answer.headers, this.request.replayedHeaders ?? DEFAULT_REPLAYED_HEADERS),
    };
    // Serialised once: for the size limit and for the stored copy.
    const bodyJson = answer.body === null ? null : JSON.stringify(answer.body);
    const size = bodyJson === null ? 0 : Buffer.byteLength(bodyJson);
    const completion: Completion = {
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
  completed(value: Answered, rows: Record<string, unknown>[], claimed: Claim): IdempotencyResult {
    const { answer, stored, size } = value;
    const expiresAt = rows[0]?.expires_at;
    if (!(expiresAt instanceof Date)) throw new Error('completing the idempotency record returned no expiry');
    const replay: CachedAnswer = size <= STORED_BODY_LIMIT_BYTES ? { kind: 'replayed', response: stored } : { kind: 'not_stored' };
    replayCache.set(this.cacheScope, this.requestHash, replay, expiresAt, size);
    const takenOver = claimed.previousStatus === 'in_progress';
    return this.done(takenOver ? 'taken_over' : 'stored', answer.status, { kind: 'executed', outcome: 'completed', response: answer }, {
      attempt: claimed.attempt,
    });
  }

  /**
   * After the operation's transaction rolled back, on either path: an outcome
   * the operation chose (refused, awaiting confirmation) is recorded and
   * answered; anything else leaves the record failed if the database still
   * answers (`attempt` undefined: the operation never ran, there is nothing to
   * record) and is rethrown. `lost` marks the 409 answered when an awaiting
   * record could not be written (a successor got there first).
   */
  async afterRollback(error: unknown, attempt: number | undefined, writeUnfinished: WriteUnfinished, lost: Extra = {}): Promise<IdempotencyResult> {
    const extra = { attempt };
    if (error instanceof RolledBack) {
      const { kind, response } = error.outcome;
      const status = kind === 'refused' ? 'failed' : 'awaiting_confirmation';
      const kept = await writeUnfinished(status, response);
      if (kind === 'awaiting_confirmation' && !kept) return this.inProgress(1, { ...lost, ...extra });
      return this.done(status, response.status, { kind: 'executed', outcome: kind, response }, extra);
    }
    // An unexpected error rolled everything back; a retry with another body is still told apart.
    if (attempt !== undefined) await writeUnfinished('failed', null).catch(() => false);
    recordOutcome({ route: this.request.operation, key: this.request.key, outcome: 'failed', status: 500, started: this.started, ...extra });
    throw error;
  }
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
