// Exactly-once execution of an operation: claim, execute and complete in one
// transaction, replay. Knows nothing of HTTP, of the operations it runs or of
// languages: the operation says how it ended, and the layer stores and replays
// plain answers. The rules: docs/ssot/SSOT_ARCHITECTURE.md (Idempotency Standard).
//
// A request is an IdempotentCall (call.ts: its fingerprint and the steps both
// paths share); it is answered from this process's replay cache, else runs on
// the one-transaction path (one-transaction.ts) or, for `leased`, on the
// leased path (leased.ts).
import { IdempotentCall } from './call';
import { runLeased } from './leased';
import { runInOneTransaction } from './one-transaction';
import type { IdempotencyResult, IdempotentRequest, Operation } from './types';

export { clearReplayCache, STORED_BODY_LIMIT_BYTES } from './call';
export { leaseSecondsFromEnv } from './leased';
export type {
  ClaimedRecord,
  IdempotencyResult,
  IdempotentRequest,
  Operation,
  OperationOutcome,
  Resource,
  StoredResponse,
} from './types';

export async function withIdempotency(request: IdempotentRequest, operation: Operation): Promise<IdempotencyResult> {
  const call = new IdempotentCall(request);
  return call.cached() ?? (request.leased ? runLeased(call, operation) : runInOneTransaction(call, operation));
}
