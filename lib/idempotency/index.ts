export { parseIdempotencyKey } from './key';
export { canonicalJson, differingPointers, requestFingerprint } from './fingerprint';
export { principalScope, type Principal } from './principal';
export {
  withIdempotency,
  clearReplayCache,
  leaseSecondsFromEnv,
  STORED_BODY_LIMIT_BYTES,
  type ClaimedRecord,
  type IdempotencyResult,
  type IdempotentRequest,
  type Operation,
  type OperationOutcome,
  type Resource,
  type StoredResponse,
} from './with-idempotency';
export { findOutcome, purgeExpired, type RecordOutcome } from './store';
export { onIdempotencyOutcome, IDEMPOTENCY_OUTCOMES, type IdempotencyOutcome } from './observe';
