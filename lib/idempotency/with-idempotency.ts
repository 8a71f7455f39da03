// Exactly-once execution of a mutation: claim, execute and complete in one
// transaction, replay. The rules: ../../docs/ssot/SSOT_ARCHITECTURE.md
// (Idempotency Standard) and api.md (Idempotency).
import { getDb, type Database, type Tx } from '@/lib/db/pool';
import { ApiError } from '@/lib/http/errors';
import { errorResponse, type JsonResponse } from '@/lib/http/envelope';
import type { Locale } from '@/lib/i18n/config';
import { differingPointers, requestFingerprint } from './fingerprint';
import { type Claim, claim, complete, findRecord, settle } from './store';
import { recordOutcome, type IdempotencyOutcome } from './observe';
import { faultAfterClaim } from './faults';

export const STORED_BODY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_LEASE_SECONDS = 15;
const CLAIM_ATTEMPTS = 3;

export const REPLAY_HEADER = 'X-Idempotency-Replay';
export const STORED_HEADER = 'X-Idempotency-Stored';
/** Response headers that are stored with the result and replayed. */
const REPLAYED_HEADERS = ['Location', 'ETag'];

export type IdempotencyContext = {
  userId: string;
  /** Method and route template, e.g. `POST /api/events`: the record's scope. */
  route: string;
  key: string;
  method: string;
  params: Record<string, string>;
  /** The parsed JSON body; the fingerprint is taken over it. */
  body: unknown;
  /** confirm_credit=1 on this request. */
  confirming: boolean;
  locale: Locale;
  leaseSeconds?: number;
  db?: Database;
};

export type OperationResult = JsonResponse & {
  /** What the operation created or changed, kept on the record for inspection. */
  resource?: { type: string; id: string };
};

/** The record being executed, for operations that link their writes to it (credit ledger). */
export type ClaimedRecord = { id: string; attempt: number; confirming: boolean };

export type Operation = (tx: Tx, record: ClaimedRecord) => Promise<OperationResult>;

/** Thrown inside the transaction to roll it back while keeping the operation's answer. */
class OperationAnswered extends Error {
  constructor(readonly response: JsonResponse) {
    super('operation answered an error');
  }
}

class LeaseLost extends Error {
  constructor() {
    super('idempotency lease was taken over');
  }
}

export function leaseSecondsFromEnv(): number {
  const configured = Number(process.env.IDEMPOTENCY_LEASE_SECONDS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_LEASE_SECONDS;
}

function isConfirmationRequired(response: JsonResponse): boolean {
  const body = response.body as { error?: { code?: unknown } } | null;
  return response.status === 402 && body?.error?.code === 'CREDIT_CONFIRMATION_REQUIRED';
}

function pickReplayedHeaders(headers: Record<string, string>): Record<string, string> {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const kept: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = lower.get(name.toLowerCase());
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

function withHeader(response: JsonResponse, name: string): JsonResponse {
  return { ...response, headers: { ...response.headers, [name]: 'true' } };
}

export async function withIdempotency(ctx: IdempotencyContext, operation: Operation): Promise<JsonResponse> {
  const started = performance.now();
  const db = ctx.db ?? getDb();
  const leaseSeconds = ctx.leaseSeconds ?? leaseSecondsFromEnv();
  const scope = { userId: ctx.userId, route: ctx.route, key: ctx.key };
  const requestHash = requestFingerprint({ method: ctx.method, route: ctx.route, params: ctx.params, body: ctx.body });
  const requestBody = { params: ctx.params, body: ctx.body ?? null };

  const done = (outcome: IdempotencyOutcome, response: JsonResponse, extra: Record<string, unknown> = {}) => {
    recordOutcome({ route: ctx.route, key: ctx.key, outcome, status: response.status, started, ...extra });
    return response;
  };

  for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
    const claimed = await claim(db, { ...scope, requestHash, requestBody, leaseSeconds, confirming: ctx.confirming });
    if (claimed) return execute(claimed);

    const existing = await findRecord(db, scope);
    // Gone (purged) or changed between the two statements: claim again.
    if (!existing || existing.expired) continue;

    if (existing.requestHash !== requestHash) {
      const stored = (existing.requestBody ?? {}) as { params?: unknown; body?: unknown };
      const error = new ApiError('IDEMPOTENCY_KEY_REUSED', {
        details: {
          differingFields: differingPointers(stored.body ?? null, ctx.body ?? null),
          differingParams: differingPointers(stored.params ?? {}, ctx.params).map((p) => p.slice(1)),
        },
      });
      return done('mismatch', errorResponse(error, ctx.locale));
    }
    if (existing.status === 'in_progress') {
      const error = new ApiError('REQUEST_IN_PROGRESS', {
        headers: { 'Retry-After': String(existing.retryAfterSeconds) },
      });
      return done('in_progress', errorResponse(error, ctx.locale));
    }
    if (existing.status === 'completed' || (existing.status === 'awaiting_confirmation' && !ctx.confirming)) {
      if (!existing.responseStored || existing.responseStatus === null) {
        return done('replayed', withHeader(errorResponse(new ApiError('IDEMPOTENCY_RESPONSE_NOT_STORED'), ctx.locale), REPLAY_HEADER));
      }
      const replay: JsonResponse = {
        status: existing.responseStatus,
        body: existing.responseBody ?? null,
        headers: existing.responseHeaders ?? {},
      };
      return done('replayed', withHeader(replay, REPLAY_HEADER));
    }
    // failed, or awaiting while confirming, yet not claimable: it changed under us. Claim again.
  }
  // Only a record that keeps changing under us lands here: as good as in progress.
  return done('in_progress', errorResponse(new ApiError('REQUEST_IN_PROGRESS', { headers: { 'Retry-After': '1' } }), ctx.locale));

  async function execute(claimed: Claim): Promise<JsonResponse> {
    const takenOver = claimed.previousStatus === 'in_progress';
    const successOutcome: IdempotencyOutcome = takenOver ? 'taken_over' : 'stored';
    const record: ClaimedRecord = { id: claimed.id, attempt: claimed.attempt, confirming: ctx.confirming };
    await faultAfterClaim();
    try {
      const response = await db.transaction(async (tx) => {
        let result: OperationResult;
        try {
          result = await operation(tx, record);
        } catch (error) {
          if (error instanceof ApiError) throw new OperationAnswered(errorResponse(error, ctx.locale));
          throw error;
        }
        if (result.status >= 400) throw new OperationAnswered(result);
        const headers = pickReplayedHeaders(result.headers);
        const response: JsonResponse = { status: result.status, body: result.body, headers: { ...result.headers, ...headers } };
        const size = result.body === null ? 0 : Buffer.byteLength(JSON.stringify(result.body));
        const stored = size <= STORED_BODY_LIMIT_BYTES;
        const ok = await complete(tx, claimed, {
          response: { status: result.status, body: result.body, headers },
          stored,
          resourceType: result.resource?.type,
          resourceId: result.resource?.id,
        });
        if (!ok) throw new LeaseLost();
        return response;
      });
      return done(successOutcome, withHeader(response, STORED_HEADER), { attempt: claimed.attempt });
    } catch (error) {
      if (error instanceof LeaseLost) {
        const answer = errorResponse(new ApiError('REQUEST_IN_PROGRESS', { headers: { 'Retry-After': '1' } }), ctx.locale);
        return done('in_progress', answer, { leaseLost: true, attempt: claimed.attempt });
      }
      if (error instanceof OperationAnswered) {
        const answer = error.response;
        if (isConfirmationRequired(answer)) {
          const kept = await settle(db, claimed, 'awaiting_confirmation', answer);
          if (!kept) {
            const lost = errorResponse(new ApiError('REQUEST_IN_PROGRESS', { headers: { 'Retry-After': '1' } }), ctx.locale);
            return done('in_progress', lost, { leaseLost: true, attempt: claimed.attempt });
          }
          return done('awaiting_confirmation', withHeader(answer, STORED_HEADER), { attempt: claimed.attempt });
        }
        await settle(db, claimed, 'failed', answer);
        return done('failed', answer, { attempt: claimed.attempt });
      }
      // An unexpected error: the transaction rolled back; leave the record
      // retryable if the database still answers, else the lease will lapse.
      await settle(db, claimed, 'failed', null).catch(() => false);
      recordOutcome({ route: ctx.route, key: ctx.key, outcome: 'failed', status: 500, started, attempt: claimed.attempt });
      throw error;
    }
  }
}
