// The layer's vocabulary: what an operation answers, what a caller asks and
// what the layer did. Plain types, shared by the algorithm and the store.
import type { Database, Tx } from '@/lib/db/pool';
import type { Principal } from './principal';

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
