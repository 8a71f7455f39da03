// The leased path (`leased: true`): the key is claimed under a lease in a
// commit of its own, the operation runs in a second transaction that
// completes the record, guarded by the attempt it claimed. For operations that
// wait on a slow outside service. The rules: docs/ssot/SSOT_ARCHITECTURE.md ("Two paths").
import { config } from '@/lib/config';
import { transactionFinishingWith } from '@/lib/db/transaction';
import { CLAIM_ATTEMPTS, type IdempotentCall, RolledBack } from './call';
import { faultAfterClaim } from './faults';
import { type Claim, claim, completionStatement, findRecord, isLeaseLost, settle } from './store';
import type { IdempotencyResult, Operation } from './types';

/** The lease a claim takes when the request names none. */
export function leaseSecondsFromEnv(): number {
  return config().IDEMPOTENCY_LEASE_SECONDS;
}

export async function runLeased(call: IdempotentCall, operation: Operation): Promise<IdempotencyResult> {
  const leaseSeconds = call.request.leaseSeconds ?? leaseSecondsFromEnv();
  for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
    const claimed = await claim(call.db, { ...call.row, leaseSeconds });
    if (claimed) return executeLeased(call, claimed, operation);

    const existing = await findRecord(call.db, call.scope);
    // Gone (purged) or changed between the two statements: claim again.
    if (!existing) continue;
    const answer = call.answerFrom(existing);
    if (answer) return answer;
  }
  return call.inProgress(1);
}

async function executeLeased(call: IdempotentCall, claimed: Claim, operation: Operation): Promise<IdempotencyResult> {
  await faultAfterClaim();
  try {
    const { value, rows } = await transactionFinishingWith(call.db, async (tx, literal) => {
      const outcome = await operation(tx, { id: claimed.id, attempt: claimed.attempt, confirming: call.request.confirming });
      if (outcome.kind !== 'completed') throw new RolledBack(outcome);
      const { completion, ...answered } = call.completion(outcome);
      return { statement: completionStatement(literal, claimed, completion), value: answered };
    });
    return call.completed(value, rows, claimed);
  } catch (error) {
    // A successor took the record over: everything rolled back, and it is the successor's now.
    if (isLeaseLost(error)) return call.inProgress(1, { leaseLost: true, attempt: claimed.attempt });
    // An unexpected error: leave the record retryable if the database still answers, else the lease will lapse.
    return call.afterRollback(error, claimed.attempt, (status, response) => settle(call.db, claimed, status, response), { leaseLost: true });
  }
}
