export { parseIdempotencyKey } from './key';
export { canonicalJson, differingPointers, requestFingerprint } from './fingerprint';
export {
  withIdempotency,
  leaseSecondsFromEnv,
  DEFAULT_LEASE_SECONDS,
  REPLAY_HEADER,
  STORED_HEADER,
  STORED_BODY_LIMIT_BYTES,
  type IdempotencyContext,
  type Operation,
  type OperationResult,
  type ClaimedRecord,
} from './with-idempotency';
export { purgeExpired } from './store';
export { onIdempotencyOutcome, IDEMPOTENCY_OUTCOMES, type IdempotencyOutcome } from './observe';
