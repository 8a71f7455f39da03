// The client half of the idempotency promise (docs/ssot/SSOT_ARCHITECTURE.md, "The client:
// ActionController"): one Idempotency-Key per attempt, reused for the
// confirming request and for every automatic retry; a new one only when a
// new attempt starts. Plain TypeScript so it can be tested without a browser.
import type { ErrorCode } from '@/lib/errors';
import type { ApiFailure, ApiResult, ClientError } from './api-client';

/**
 * A confirmation the operation may ask for, with details of type D (the event
 * forms have one, in lib/events). `askedBy` answering a request
 * opens the question; `confirm()` sends the attempt again with `confirmed`
 * (the perform adds the operation's flag); `blockedBy` answering that keeps
 * the question open with the error, and only Cancel remains.
 */
export type Confirmation<D> = {
  askedBy: ErrorCode;
  blockedBy: ErrorCode;
  /** The question's details, read from the error's `details`. */
  details: (details: Record<string, unknown>) => D;
};

export type ActionState<T, D = unknown> =
  | { status: 'idle' }
  | { status: 'running'; correlationId: string }
  | {
      status: 'awaiting_confirmation';
      correlationId: string;
      details: D;
      /** The confirmation's `blockedBy` from the confirming request: the question says so and only Cancel remains. */
      error: ClientError | null;
    }
  | { status: 'running_confirmed'; correlationId: string; details: D }
  | { status: 'succeeded'; correlationId: string; result: T }
  | { status: 'failed'; correlationId: string; error: ClientError; httpStatus: number }
  /**
   * An attempt whose answer was lost (a reload, or automatic retries that ran
   * out) and that the server never finished or cannot say: `resend()` sends it
   * again with its key.
   */
  | { status: 'interrupted'; correlationId: string };

export type ActionStatus = ActionState<unknown>['status'];

export type PerformContext = {
  /** Sent as the Idempotency-Key header. */
  correlationId: string;
  /** The request gives the confirmation the operation asked for (its flag). */
  confirmed: boolean;
  signal: AbortSignal;
};

export type Perform<P, T> = (payload: P, context: PerformContext) => Promise<ApiResult<T>>;

export type RetryPolicy = {
  /** Automatic retries after the first request of a step (so maxRetries + 1 requests at most). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

/** What the server says became of an attempt (GET /api/idempotency/:key); `unknown` when it has no record or cannot be asked. */
export type AttemptOutcome = 'completed' | 'in_progress' | 'awaiting_confirmation' | 'failed' | 'unknown';

/** sessionStorage in the browser: per tab, copied into a duplicated tab, gone with the tab. */
export type AttemptStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Keeps the live attempt (key, payload, whether it was confirming) across a
 * reload, one per form, so finishing it reuses its key and the server replays
 * or completes the original attempt instead of running a second one.
 */
export type AttemptPersistence<P> = {
  store: AttemptStore;
  /** One per form, e.g. `attempt:POST /api/events`. */
  key: string;
  /** The stored payload, checked: null drops it. Never store secrets (passwords) in a payload that is persisted. */
  parse: (value: unknown) => P | null;
  lookup: (correlationId: string, signal: AbortSignal) => Promise<AttemptOutcome>;
  /** Older attempts are dropped: the server forgets unfinished ones a day after their last change. */
  maxAgeMs?: number;
};

export type ActionControllerOptions<P = unknown, D = unknown> = {
  /** The confirmation the operation may ask for; without it, every refusal fails the attempt. */
  confirmation?: Confirmation<D>;
  retry?: Partial<RetryPolicy>;
  /** 0 ≤ random() < 1, for the jitter; injectable for tests. */
  random?: () => number;
  newCorrelationId?: () => string;
  persistence?: AttemptPersistence<P>;
  now?: () => number;
};

const DEFAULT_ATTEMPT_MAX_AGE_MS = 24 * 3600 * 1000;

/** Outcome lookups per run after retries ran out; then the attempt is `interrupted` (sent again only by the user). */
const MAX_OUTCOME_LOOKUPS = 2;

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 400, maxDelayMs: 8_000 };

/** Answers that may succeed if sent again with the same key. */
function isTransient(failure: ApiFailure): boolean {
  if (failure.status === 0) return true;
  if (failure.status >= 500) return true;
  return failure.status === 409 && failure.error.code === 'REQUEST_IN_PROGRESS';
}

/** Exponential backoff with jitter (half fixed, half random), never shorter than Retry-After. */
export function retryDelayMs(retry: number, retryAfterMs: number | null, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** One attempt: its correlationId is the Idempotency-Key of every request it sends. */
type Attempt<P> = { correlationId: string; payload: P; abort: AbortController; confirming: boolean };

type SavedAttempt = { v: 1; correlationId: string; payload: unknown; confirming: boolean; savedAt: number };

function isSavedAttempt(value: unknown): value is SavedAttempt {
  if (!value || typeof value !== 'object') return false;
  const v: Record<string, unknown> = { ...value };
  return v.v === 1 && typeof v.correlationId === 'string' && typeof v.confirming === 'boolean' && typeof v.savedAt === 'number';
}

export class ActionController<P, T, D = unknown> {
  private state: ActionState<T, D> = { status: 'idle' };
  private readonly listeners = new Set<() => void>();
  private attempt: Attempt<P> | null = null;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly newCorrelationId: () => string;
  private readonly persistence: AttemptPersistence<P> | undefined;
  private readonly now: () => number;
  private readonly confirmation: Confirmation<D> | undefined;

  constructor(
    private readonly perform: Perform<P, T>,
    options: ActionControllerOptions<P, D> = {},
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.newCorrelationId = options.newCorrelationId ?? (() => crypto.randomUUID());
    this.persistence = options.persistence;
    this.now = options.now ?? Date.now;
    this.confirmation = options.confirmation;
  }

  getState = (): ActionState<T, D> => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts a new attempt with a new key; sends nothing while an attempt is in flight or awaiting confirmation. */
  submit = (payload: P): Promise<void> => {
    const { status } = this.state;
    if (status === 'running' || status === 'running_confirmed' || status === 'awaiting_confirmation') {
      return Promise.resolve();
    }
    // The same payload again after an interruption is the same attempt: same key.
    if (status === 'interrupted' && this.attempt && JSON.stringify(this.attempt.payload) === JSON.stringify(payload)) {
      return this.resend();
    }
    const attempt: Attempt<P> = { correlationId: this.newCorrelationId(), payload, abort: new AbortController(), confirming: false };
    this.attempt = attempt;
    this.save(attempt);
    this.setState({ status: 'running', correlationId: attempt.correlationId });
    return this.run(attempt, false);
  };

  /** Sends the attempt again, same key and payload, confirmed. */
  confirm = (): Promise<void> => {
    const state = this.state;
    const attempt = this.attempt;
    if (state.status !== 'awaiting_confirmation' || state.error || !attempt) return Promise.resolve();
    attempt.confirming = true;
    this.save(attempt);
    this.setState({ status: 'running_confirmed', correlationId: attempt.correlationId, details: state.details });
    return this.run(attempt, true);
  };

  /** Back to the form: the attempt and its key are dropped, nothing is spent. */
  cancel = (): void => {
    if (this.state.status !== 'awaiting_confirmation' && this.state.status !== 'interrupted') return;
    this.attempt = null;
    this.forget();
    this.setState({ status: 'idle' });
  };

  /** The payload of the attempt a reload left behind, if it is still worth resuming (for the form's values). */
  savedPayload = (): P | null => this.loadSaved()?.payload ?? null;

  /**
   * After a reload: asks the server what became of the saved attempt, then
   * finishes it with its own key. Completed or in progress: sent again, so the
   * server replays its answer (or answers 409 until it is done). Awaiting
   * confirmation: sent again without the flag, which replays the question and
   * reopens it. Failed or unknown: `interrupted`, for the user to
   * send it again (`resend`) or drop it (`cancel`).
   */
  resume = async (): Promise<void> => {
    if (this.state.status !== 'idle' || !this.persistence) return;
    const saved = this.loadSaved();
    if (!saved) return;
    const attempt: Attempt<P> = { ...saved, abort: new AbortController(), confirming: saved.confirming };
    this.attempt = attempt;
    this.setState({ status: 'running', correlationId: attempt.correlationId });
    const outcome = await this.persistence.lookup(attempt.correlationId, attempt.abort.signal).catch((): AttemptOutcome => 'unknown');
    if (this.attempt !== attempt) return;
    if (outcome === 'completed' || outcome === 'in_progress') return this.run(attempt, attempt.confirming);
    if (outcome === 'awaiting_confirmation') {
      attempt.confirming = false;
      return this.run(attempt, false);
    }
    this.setState({ status: 'interrupted', correlationId: attempt.correlationId });
  };

  /** Sends an interrupted attempt again, with the same key and payload. */
  resend = (): Promise<void> => {
    const attempt = this.attempt;
    if (this.state.status !== 'interrupted' || !attempt) return Promise.resolve();
    this.setState({ status: 'running', correlationId: attempt.correlationId });
    return this.run(attempt, attempt.confirming);
  };

  /** Forget a finished attempt (e.g. after the form was edited again). */
  reset = (): void => {
    if (this.state.status === 'running' || this.state.status === 'running_confirmed') return;
    this.attempt = null;
    this.setState({ status: 'idle' });
  };

  /**
   * Stops waiting (unmount): an in-flight request is aborted and no retry
   * follows. A saved attempt stays saved, for the next mount to resume.
   */
  dispose = (): void => {
    this.attempt?.abort.abort();
    this.attempt = null;
    if (this.state.status === 'running' || this.state.status === 'running_confirmed') this.state = { status: 'idle' };
  };

  private async run(attempt: Attempt<P>, confirmed: boolean): Promise<void> {
    let lookups = 0;
    for (let retry = 0; ; retry++) {
      const result = await this.perform(attempt.payload, {
        correlationId: attempt.correlationId,
        confirmed,
        signal: attempt.abort.signal,
      });
      if (this.attempt !== attempt) return;

      if (result.ok) {
        this.forget();
        this.setState({ status: 'succeeded', correlationId: attempt.correlationId, result: result.data });
        return;
      }
      if (isTransient(result) && retry < this.policy.maxRetries) {
        await this.sleep(retryDelayMs(retry, result.retryAfterMs, this.policy, this.random), attempt.abort.signal);
        if (this.attempt !== attempt) return;
        continue;
      }
      if (isTransient(result) && this.persistence) {
        // Retries ran out, but the attempt may have happened: ask before offering to send it again.
        const next = lookups < MAX_OUTCOME_LOOKUPS ? await this.lookupAfterRetries(attempt, result) : 'interrupt';
        lookups++;
        if (this.attempt !== attempt) return;
        if (next === 'interrupt') {
          this.save(attempt);
          this.setState({ status: 'interrupted', correlationId: attempt.correlationId });
          return;
        }
        // Sent again with the same key: the server replays what it did (a completed attempt's
        // answer, or the question that reopens), or finishes the attempt.
        if (next === 'unconfirmed') confirmed = false;
        retry = -1;
        continue;
      }
      this.settleFailure(attempt, result, confirmed);
      return;
    }
  }

  /**
   * GET /api/idempotency/:key when automatic retries ran out on a transient
   * failure: completed → send again (the server replays the result); in
   * progress → wait Retry-After, then send again; awaiting confirmation → send
   * again without the flag (the replayed question reopens); failed or
   * unknown → `interrupt` (the user may send it again, same key).
   */
  private async lookupAfterRetries(attempt: Attempt<P>, last: ApiFailure): Promise<'send' | 'unconfirmed' | 'interrupt'> {
    const persistence = this.persistence;
    if (!persistence) return 'interrupt';
    const outcome = await persistence.lookup(attempt.correlationId, attempt.abort.signal).catch((): AttemptOutcome => 'unknown');
    if (this.attempt !== attempt) return 'interrupt';
    if (outcome === 'completed') return 'send';
    if (outcome === 'in_progress') {
      await this.sleep(Math.max(last.retryAfterMs ?? 0, this.policy.baseDelayMs), attempt.abort.signal);
      return 'send';
    }
    if (outcome === 'awaiting_confirmation') {
      attempt.confirming = false;
      this.save(attempt);
      return 'unconfirmed';
    }
    return 'interrupt';
  }

  private settleFailure(attempt: Attempt<P>, failure: ApiFailure, confirmed: boolean): void {
    const { code } = failure.error;
    const confirmation = this.confirmation;
    if (confirmation && !confirmed && code === confirmation.askedBy) {
      attempt.confirming = false;
      this.save(attempt);
      this.setState({
        status: 'awaiting_confirmation',
        correlationId: attempt.correlationId,
        details: confirmation.details(failure.error.details ?? {}),
        error: null,
      });
      return;
    }
    if (confirmation && confirmed && code === confirmation.blockedBy) {
      this.setState({
        status: 'awaiting_confirmation',
        correlationId: attempt.correlationId,
        details: confirmation.details(failure.error.details ?? {}),
        error: failure.error,
      });
      return;
    }
    this.attempt = null;
    this.forget();
    this.setState({ status: 'failed', correlationId: attempt.correlationId, error: failure.error, httpStatus: failure.status });
  }

  private save(attempt: Attempt<P>): void {
    if (!this.persistence) return;
    const saved: SavedAttempt = {
      v: 1,
      correlationId: attempt.correlationId,
      payload: attempt.payload,
      confirming: attempt.confirming,
      savedAt: this.now(),
    };
    try {
      this.persistence.store.setItem(this.persistence.key, JSON.stringify(saved));
    } catch {
      // Storage full or disabled: the attempt still runs, it just cannot survive a reload.
    }
  }

  private forget(): void {
    try {
      this.persistence?.store.removeItem(this.persistence.key);
    } catch {
      // Nothing was stored.
    }
  }

  private loadSaved(): { correlationId: string; payload: P; confirming: boolean } | null {
    const persistence = this.persistence;
    if (!persistence) return null;
    let value: unknown;
    try {
      value = JSON.parse(persistence.store.getItem(persistence.key) ?? 'null');
    } catch {
      value = null;
    }
    const maxAge = persistence.maxAgeMs ?? DEFAULT_ATTEMPT_MAX_AGE_MS;
    const payload = isSavedAttempt(value) && this.now() - value.savedAt < maxAge ? persistence.parse(value.payload) : null;
    if (!isSavedAttempt(value) || payload === null) {
      if (value !== null) this.forget();
      return null;
    }
    return { correlationId: value.correlationId, payload, confirming: value.confirming };
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
    });
  }

  private setState(next: ActionState<T, D>): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
