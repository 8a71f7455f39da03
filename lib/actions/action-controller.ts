// The client half of the idempotency promise (docs/ssot/SSOT_ARCHITECTURE.md, "The client:
// ActionController"): one Idempotency-Key per attempt, reused for the
// confirm_credit request and for every automatic retry; a new one only when a
// new attempt starts. Plain TypeScript so it can be tested without a browser.
import type { ApiFailure, ApiResult, ClientError } from './api-client';

export type CreditDetails = {
  creditsRequired: number;
  balance: number;
  planLimit: number;
  requested: number;
};

export type ActionState<T> =
  | { status: 'idle' }
  | { status: 'running'; correlationId: string }
  | {
      status: 'awaiting_confirmation';
      correlationId: string;
      credit: CreditDetails;
      /** INSUFFICIENT_CREDITS from the confirm request: the modal says so and only Cancel remains. */
      error: ClientError | null;
    }
  | { status: 'running_confirmed'; correlationId: string; credit: CreditDetails }
  | { status: 'succeeded'; correlationId: string; result: T }
  | { status: 'failed'; correlationId: string; error: ClientError; httpStatus: number };

export type ActionStatus = ActionState<unknown>['status'];

export type PerformContext = {
  /** Sent as the Idempotency-Key header. */
  correlationId: string;
  confirmCredit: boolean;
  signal: AbortSignal;
};

export type Perform<P, T> = (payload: P, context: PerformContext) => Promise<ApiResult<T>>;

export type RetryPolicy = {
  /** Automatic retries after the first request of a step (so maxRetries + 1 requests at most). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export type ActionControllerOptions = {
  retry?: Partial<RetryPolicy>;
  /** 0 ≤ random() < 1, for the jitter; injectable for tests. */
  random?: () => number;
  newCorrelationId?: () => string;
};

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

function creditDetailsOf(error: ClientError): CreditDetails {
  const details = error.details ?? {};
  const number = (key: string): number => (typeof details[key] === 'number' ? (details[key] as number) : 0);
  return {
    creditsRequired: number('creditsRequired') || 1,
    balance: number('balance'),
    planLimit: number('planLimit'),
    requested: number('requested'),
  };
}

/** One attempt: its correlationId is the Idempotency-Key of every request it sends. */
type Attempt<P> = { correlationId: string; payload: P; abort: AbortController };

export class ActionController<P, T> {
  private state: ActionState<T> = { status: 'idle' };
  private readonly listeners = new Set<() => void>();
  private attempt: Attempt<P> | null = null;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly newCorrelationId: () => string;

  constructor(
    private readonly perform: Perform<P, T>,
    options: ActionControllerOptions = {},
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.newCorrelationId = options.newCorrelationId ?? (() => crypto.randomUUID());
  }

  getState = (): ActionState<T> => this.state;

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
    const attempt: Attempt<P> = { correlationId: this.newCorrelationId(), payload, abort: new AbortController() };
    this.attempt = attempt;
    this.setState({ status: 'running', correlationId: attempt.correlationId });
    return this.run(attempt, false);
  };

  /** Sends the attempt again, same key and payload, with confirm_credit=1. */
  confirm = (): Promise<void> => {
    const state = this.state;
    const attempt = this.attempt;
    if (state.status !== 'awaiting_confirmation' || state.error || !attempt) return Promise.resolve();
    this.setState({ status: 'running_confirmed', correlationId: attempt.correlationId, credit: state.credit });
    return this.run(attempt, true);
  };

  /** Back to the form: the attempt and its key are dropped, nothing is spent. */
  cancel = (): void => {
    if (this.state.status !== 'awaiting_confirmation') return;
    this.attempt = null;
    this.setState({ status: 'idle' });
  };

  /** Forget a finished attempt (e.g. after the form was edited again). */
  reset = (): void => {
    if (this.state.status === 'running' || this.state.status === 'running_confirmed') return;
    this.attempt = null;
    this.setState({ status: 'idle' });
  };

  /** Stops waiting (unmount): an in-flight request is aborted and no retry follows. */
  dispose = (): void => {
    this.attempt?.abort.abort();
    this.attempt = null;
  };

  private async run(attempt: Attempt<P>, confirmCredit: boolean): Promise<void> {
    for (let retry = 0; ; retry++) {
      const result = await this.perform(attempt.payload, {
        correlationId: attempt.correlationId,
        confirmCredit,
        signal: attempt.abort.signal,
      });
      if (this.attempt !== attempt) return;

      if (result.ok) {
        this.setState({ status: 'succeeded', correlationId: attempt.correlationId, result: result.data });
        return;
      }
      if (isTransient(result) && retry < this.policy.maxRetries) {
        await this.sleep(retryDelayMs(retry, result.retryAfterMs, this.policy, this.random), attempt.abort.signal);
        if (this.attempt !== attempt) return;
        continue;
      }
      this.settleFailure(attempt, result, confirmCredit);
      return;
    }
  }

  private settleFailure(attempt: Attempt<P>, failure: ApiFailure, confirmCredit: boolean): void {
    const { code } = failure.error;
    if (!confirmCredit && code === 'CREDIT_CONFIRMATION_REQUIRED') {
      this.setState({
        status: 'awaiting_confirmation',
        correlationId: attempt.correlationId,
        credit: creditDetailsOf(failure.error),
        error: null,
      });
      return;
    }
    if (confirmCredit && code === 'INSUFFICIENT_CREDITS') {
      this.setState({
        status: 'awaiting_confirmation',
        correlationId: attempt.correlationId,
        credit: creditDetailsOf(failure.error),
        error: failure.error,
      });
      return;
    }
    this.attempt = null;
    this.setState({ status: 'failed', correlationId: attempt.correlationId, error: failure.error, httpStatus: failure.status });
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

  private setState(next: ActionState<T>): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
