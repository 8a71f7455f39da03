import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_STATUSES } from '@/lib/enums';
import { isClaimable } from './claim-rule';

const HASH = 'the-request-hash';

describe('isClaimable', () => {
  it('claims what the documented rule says: expired, or the same fingerprint and failed, a lapsed lease, or awaiting while confirming', () => {
    for (const status of IDEMPOTENCY_STATUSES) {
      for (const sameHash of [true, false]) {
        for (const expired of [true, false]) {
          for (const leaseLapsed of [true, false]) {
            for (const confirming of [true, false]) {
              const expected =
                expired ||
                (sameHash &&
                  (status === 'failed' || (status === 'in_progress' && leaseLapsed) || (status === 'awaiting_confirmation' && confirming)));
              const record = { status, requestHash: sameHash ? HASH : 'another-hash', expired, leaseLapsed };
              expect({ ...record, confirming, claimable: isClaimable(record, HASH, confirming) }).toEqual({ ...record, confirming, claimable: expected });
            }
          }
        }
      }
    }
  });

  it('never claims a completed record before it expires, whoever asks', () => {
    for (const confirming of [true, false]) {
      expect(isClaimable({ status: 'completed', requestHash: HASH, expired: false, leaseLapsed: true }, HASH, confirming)).toBe(false);
    }
  });
});
