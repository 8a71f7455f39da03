// The default path: the key's advisory lock and its record's read ride with
// BEGIN, the operation runs in that transaction, and the record is written
// once, completed, with the COMMIT. A killed holder's lock goes with its
// connection's transaction. The rules: docs/ssot/SSOT_ARCHITECTURE.md ("Two paths").
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@/lib/db/errors';
import { transactionFinishingWith } from '@/lib/db/transaction';
import { CLAIM_ATTEMPTS, type IdempotentCall, RolledBack } from './call';
import { isClaimable } from './claim-rule';
import { faultAfterClaim } from './faults';
import { type Claim, type ExistingRecord, isLeaseLost, lockAndReadStatements, oneTransactionCompletion, parseLockedRead, recordUnfinished } from './store';
import type { IdempotencyResult, Operation } from './types';

/** Thrown when the request may not run: the key's lock is held elsewhere, or its record forbids it. */
class NotClaimed extends Error {
  constructor(
    readonly locked: boolean,
    readonly record: ExistingRecord | null,
  ) {
    super('idempotency key not claimed');
  }
}

/** The claim this request makes over what it read: a new record, or the next attempt of one it may take over. */
function claimOver(existing: ExistingRecord | null): Claim {
  return existing
    ? { id: existing.expired ? randomUUID() : existing.id, attempt: existing.attempt + 1, previousStatus: existing.status }
    : { id: randomUUID(), attempt: 1, previousStatus: null };
}

export async function runInOneTransaction(call: IdempotentCall, operation: Operation): Promise<IdempotencyResult> {
  const { request, requestHash } = call;
  for (let round = 0; round < CLAIM_ATTEMPTS; round++) {
    // Set once the operation may run: what a failure reports and records.
    let claimedAttempt: number | undefined;
    try {
      const { value, rows } = await transactionFinishingWith(
        call.db,
        async (tx, literal, opened) => {
          const { locked, record: existing } = parseLockedRead(opened);
          if (!locked || (existing && !isClaimable(existing, requestHash, request.confirming))) throw new NotClaimed(locked, existing);
          const claimed = claimOver(existing);
          claimedAttempt = claimed.attempt;
          await faultAfterClaim();
          const outcome = await operation(tx, { id: claimed.id, attempt: claimed.attempt, confirming: request.confirming });
          if (outcome.kind !== 'completed') throw new RolledBack(outcome);
          const { completion, ...answered } = call.completion(outcome);
          return { statement: oneTransactionCompletion(literal, call.row, claimed, existing, completion), value: { ...answered, claimed } };
        },
        (literal) => lockAndReadStatements(literal, call.scope),
      );
      return call.completed(value, rows, value.claimed);
    } catch (error) {
      if (error instanceof NotClaimed) {
        // The record's own answer (replay, 422, a live lease's 409) where it
        // has one; else, with the lock held elsewhere, a holder is at work
        // on this key right now: 409 until its transaction ends.
        const answer = error.record ? call.answerFrom(error.record) : null;
        if (answer) return answer;
        if (!error.locked) return call.inProgress(1);
        continue;
      }
      // A duplicate wrote the record first, or the record changed under us (a purge): read it again.
      if (isUniqueViolation(error) || isLeaseLost(error)) continue;
      return call.afterRollback(error, claimedAttempt, (status, response) => recordUnfinished(call.db, call.row, status, response));
    }
  }
  // Only a record that keeps changing under us lands here: as good as in progress.
  return call.inProgress(1);
}
