// When a request may take a record over and run its operation: the one rule,
// written once as data. The statements that claim (the leased claim's UPDATE,
// the upsert that records an unfinished attempt) render it as SQL; the
// one-transaction path, which reads the record under the key's lock first,
// evaluates it in TypeScript. tests/integration/idempotency-claim-rule.test.ts
// holds the two equal over every state.
import { type SQL, sql } from 'drizzle-orm';
import type { IdempotencyStatus } from '@/lib/db/schema';

/**
 * For a record with the request's own fingerprint, when it may be claimed,
 * per status. Whatever its status and fingerprint, an expired record may be
 * claimed by any request (it counts as absent).
 */
export const CLAIMABLE_WHEN = {
  /** A refused or crashed attempt: the same request may run again. */
  failed: 'always',
  /** Held under a lease: only once the lease has lapsed (its holder is presumed dead). */
  in_progress: 'lease_lapsed',
  /** Its operation asked for a confirmation: only a request that gives it. */
  awaiting_confirmation: 'confirming',
  /** Final until it expires. */
  completed: 'never',
} as const satisfies Record<IdempotencyStatus, 'always' | 'lease_lapsed' | 'confirming' | 'never'>;

/** The facts about a record the rule reads besides its status and fingerprint, each one SQL expression over the row. */
export const RECORD_FACTS = {
  expired: (row: string) => `${row}expires_at <= now()`,
  // A null locked_until counts as not lapsed, as a WHERE clause treats it.
  leaseLapsed: (row: string) => `coalesce(${row}locked_until <= now(), false)`,
};

/** What the rule needs of a record: its read under the key's lock carries these. */
export type ClaimFacts = { status: IdempotencyStatus; requestHash: string; expired: boolean; leaseLapsed: boolean };

/** Whether a request with `requestHash` (`confirming` or not) may claim the record. */
export function isClaimable(record: ClaimFacts, requestHash: string, confirming: boolean): boolean {
  if (record.expired) return true;
  if (record.requestHash !== requestHash) return false;
  const when: (typeof CLAIMABLE_WHEN)[IdempotencyStatus] = CLAIMABLE_WHEN[record.status];
  return when === 'always' || (when === 'lease_lapsed' && record.leaseLapsed) || (when === 'confirming' && confirming);
}

const STATUSES = Object.keys(CLAIMABLE_WHEN) as IdempotencyStatus[];

/**
 * The rule as a SQL condition over the record's row (columns prefixed with
 * `row`, e.g. `r.`), against the request's fingerprint (a value, or an
 * expression such as `excluded.request_hash`).
 */
export function claimableSql(options: { row?: string; requestHash: string | SQL; confirming: boolean }): SQL {
  const row = options.row ?? '';
  const hash = typeof options.requestHash === 'string' ? sql`${options.requestHash}` : options.requestHash;
  const branches = STATUSES.flatMap((status) => {
    const when = CLAIMABLE_WHEN[status];
    const isStatus = sql.raw(`${row}status = '${status}'`);
    if (when === 'always') return [isStatus];
    if (when === 'lease_lapsed') return [sql`(${isStatus} and ${sql.raw(RECORD_FACTS.leaseLapsed(row))})`];
    if (when === 'confirming') return [sql`(${isStatus} and ${options.confirming})`];
    return [];
  });
  return sql`(${sql.raw(RECORD_FACTS.expired(row))} or (${sql.raw(`${row}request_hash`)} = ${hash} and (${sql.join(branches, sql` or `)})))`;
}
