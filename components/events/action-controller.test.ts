// The ActionController (lib/actions) as the event forms drive it: with the
// credit confirmation of lib/events, the one confirmation the app has.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ActionController,
  DEFAULT_RETRY,
  retryDelayMs,
  type ActionControllerOptions,
  type ActionStatus,
  type AttemptOutcome,
} from '@/lib/actions/action-controller';
import { apiRequest, parseRetryAfter } from '@/lib/actions/api-client';
import { creditConfirmedUrl, eventCreditConfirmation, type CreditDetails } from '@/lib/events/credit-confirmation';

type SentRequest = { url: string; method: string; key: string | null; body: unknown };
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'network-error' | 'hang';

const created = { event: { id: 'e1' }, credit: { charged: false, balance: 0 } };
const ok: Reply = { status: 201, body: { success: true, data: created } };
const failure = (status: number, code: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Reply => ({
  status,
  body: { success: false, error: { code, message: code, ...extra } },
  headers,
});
const creditDetails = { creditsRequired: 1, balance: 3, planLimit: 30, requested: 50 };
const needsConfirmation = failure(402, 'CREDIT_CONFIRMATION_REQUIRED', { details: creditDetails });

let sent: SentRequest[];
let replies: Reply[];

function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const headers = new Headers(init?.headers);
  sent.push({
    url: String(input),
    method: init?.method ?? 'GET',
    key: headers.get('idempotency-key'),
    body: init?.body ? JSON.parse(String(init.body)) : undefined,
  });
  const reply = replies.shift() ?? ok;
  if (reply === 'network-error') return Promise.reject(new TypeError('Failed to fetch'));
  if (reply === 'hang') {
    return new Promise((_, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  }
  return Promise.resolve(
    new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'Content-Type': 'application/json', ...reply.headers },
    }),
  );
}

type Payload = { title: string };

function controller(options: ActionControllerOptions<Payload, CreditDetails> = {}) {
  return new ActionController<Payload, typeof created, CreditDetails>(
    (payload, { correlationId, confirmed, signal }) =>
      apiRequest({
        method: 'POST',
        url: creditConfirmedUrl('http://app.test/api/events', confirmed),
        body: payload,
        correlationId,
        signal,
        timeoutMs: 5_000,
      }),
    { confirmation: eventCreditConfirmation, random: () => 0.5, ...options },
  );
}

function statuses(c: ActionController<Payload, typeof created, CreditDetails>): ActionStatus[] {
  const seen: ActionStatus[] = [];
  c.subscribe(() => seen.push(c.getState().status));
  return seen;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

beforeEach(() => {
  sent = [];
  replies = [];
  vi.useFakeTimers();
  vi.stubGlobal('fetch', vi.fn(fakeFetch));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('ActionController', () => {
  it('starts idle', () => {
    expect(controller().getState()).toEqual({ status: 'idle' });
  });

  it('goes idle → running → succeeded and sends a UUID key with the payload', async () => {
    const c = controller();
    const seen = statuses(c);
    await c.submit({ title: 'Meetup' });
    expect(seen).toEqual(['running', 'succeeded']);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.key).toMatch(UUID);
    expect(sent[0]?.body).toEqual({ title: 'Meetup' });
    const state = c.getState();
    expect(state.status === 'succeeded' && state.result).toEqual(created);
    expect(state.status === 'succeeded' && state.correlationId).toBe(sent[0]?.key);
  });

  it('sends nothing for a second submit while running', async () => {
    replies = ['hang'];
    const c = controller();
    const first = c.submit({ title: 'a' });
    await c.submit({ title: 'a' });
    await c.submit({ title: 'b' });
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    c.dispose();
    await first;
  });

  it('sends nothing for a submit while awaiting confirmation or running the confirm', async () => {
    replies = [needsConfirmation, 'hang'];
    const c = controller();
    await c.submit({ title: 'a' });
    await c.submit({ title: 'a' });
    expect(sent).toHaveLength(1);
    void c.confirm();
    await c.submit({ title: 'a' });
    await c.confirm();
    expect(sent).toHaveLength(2);
    c.dispose();
  });

  it('uses a new key for each new attempt after success', async () => {
    const c = controller();
    await c.submit({ title: 'a' });
    await c.submit({ title: 'a' });
    expect(sent).toHaveLength(2);
    expect(sent[0]?.key).not.toBe(sent[1]?.key);
  });

  it('uses a new key for a new attempt after a failure', async () => {
    replies = [failure(400, 'VALIDATION_FAILED', { fieldErrors: { title: ['Too short'] } }), ok];
    const c = controller();
    await c.submit({ title: 'a' });
    const state = c.getState();
    expect(state.status).toBe('failed');
    expect(state.status === 'failed' && state.error.fieldErrors).toEqual({ title: ['Too short'] });
    expect(state.status === 'failed' && state.httpStatus).toBe(400);
    await c.submit({ title: 'abc' });
    expect(c.getState().status).toBe('succeeded');
    expect(sent[0]?.key).not.toBe(sent[1]?.key);
  });

  it('does not retry a client error', async () => {
    replies = [failure(422, 'IDEMPOTENCY_KEY_REUSED')];
    const c = controller();
    await c.submit({ title: 'a' });
    expect(sent).toHaveLength(1);
    expect(c.getState().status).toBe('failed');
  });

  describe('credit confirmation', () => {
    it('awaits confirmation on 402 CREDIT_CONFIRMATION_REQUIRED with the details', async () => {
      replies = [needsConfirmation];
      const c = controller();
      await c.submit({ title: 'a' });
      expect(c.getState()).toEqual({
        status: 'awaiting_confirmation',
        correlationId: sent[0]?.key,
        details: creditDetails,
        error: null,
      });
    });

    it('confirms with the same key, the same body and confirm_credit=1, then succeeds', async () => {
      replies = [needsConfirmation, ok];
      const c = controller();
      const seen = statuses(c);
      await c.submit({ title: 'a' });
      await c.confirm();
      expect(seen).toEqual(['running', 'awaiting_confirmation', 'running_confirmed', 'succeeded']);
      expect(sent).toHaveLength(2);
      expect(sent[1]?.url).toContain('confirm_credit=1');
      expect(sent[0]?.url).not.toContain('confirm_credit');
      expect(sent[1]?.key).toBe(sent[0]?.key);
      expect(sent[1]?.body).toEqual(sent[0]?.body);
    });

    it('cancel returns to idle, sends nothing, and the next submit uses a new key', async () => {
      replies = [needsConfirmation, ok];
      const c = controller();
      await c.submit({ title: 'a' });
      c.cancel();
      expect(c.getState()).toEqual({ status: 'idle' });
      expect(sent).toHaveLength(1);
      await c.submit({ title: 'a' });
      expect(sent[1]?.key).not.toBe(sent[0]?.key);
    });

    it('ignores cancel while the confirm runs', async () => {
      replies = [needsConfirmation, 'hang'];
      const c = controller();
      await c.submit({ title: 'a' });
      void c.confirm();
      c.cancel();
      expect(c.getState().status).toBe('running_confirmed');
      c.dispose();
    });

    it('INSUFFICIENT_CREDITS on confirm stays in the modal with the error; confirm is then refused', async () => {
      replies = [needsConfirmation, failure(402, 'INSUFFICIENT_CREDITS', { details: { ...creditDetails, balance: 0 } })];
      const c = controller();
      await c.submit({ title: 'a' });
      await c.confirm();
      const state = c.getState();
      expect(state.status).toBe('awaiting_confirmation');
      expect(state.status === 'awaiting_confirmation' && state.error?.code).toBe('INSUFFICIENT_CREDITS');
      expect(state.status === 'awaiting_confirmation' && state.details.balance).toBe(0);
      await c.confirm();
      expect(sent).toHaveLength(2);
      c.cancel();
      expect(c.getState().status).toBe('idle');
    });

    it('INSUFFICIENT_CREDITS on the first request fails the attempt', async () => {
      replies = [failure(402, 'INSUFFICIENT_CREDITS', { details: creditDetails })];
      const c = controller();
      await c.submit({ title: 'a' });
      const state = c.getState();
      expect(state.status === 'failed' && state.error.code).toBe('INSUFFICIENT_CREDITS');
    });

    it('a failed confirm goes to failed and the next submit uses a new key', async () => {
      replies = [needsConfirmation, failure(400, 'VALIDATION_FAILED', { fieldErrors: { startsAt: ['past'] } }), ok];
      const c = controller();
      await c.submit({ title: 'a' });
      await c.confirm();
      expect(c.getState().status).toBe('failed');
      await c.submit({ title: 'a' });
      expect(sent[2]?.key).not.toBe(sent[0]?.key);
      expect(sent[2]?.url).not.toContain('confirm_credit');
    });
  });

  describe('automatic retries', () => {
    it.each([
      ['a network error', 'network-error' as const],
      ['a 500', failure(500, 'INTERNAL_ERROR')],
      ['a 503', failure(503, 'SERVICE_UNAVAILABLE')],
      ['a 502 that is not JSON', { status: 502, body: undefined }],
      ['409 REQUEST_IN_PROGRESS', failure(409, 'REQUEST_IN_PROGRESS', {}, { 'Retry-After': '1' })],
    ])('retries %s with the same key', async (_name, reply) => {
      replies = [reply, ok];
      const c = controller();
      const done = c.submit({ title: 'a' });
      await vi.runAllTimersAsync();
      await done;
      expect(sent).toHaveLength(2);
      expect(sent[1]?.key).toBe(sent[0]?.key);
      expect(c.getState().status).toBe('succeeded');
    });

    it('retries a timeout with the same key', async () => {
      replies = ['hang', ok];
      const c = controller();
      const done = c.submit({ title: 'a' });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(sent).toHaveLength(1);
      await vi.runAllTimersAsync();
      await done;
      expect(sent).toHaveLength(2);
      expect(sent[1]?.key).toBe(sent[0]?.key);
      expect(c.getState().status).toBe('succeeded');
    });

    it('retries the confirm request with the same key and the flag', async () => {
      replies = [needsConfirmation, 'network-error', ok];
      const c = controller();
      await c.submit({ title: 'a' });
      const done = c.confirm();
      await vi.runAllTimersAsync();
      await done;
      expect(sent.map((r) => r.key)).toEqual([sent[0]?.key, sent[0]?.key, sent[0]?.key]);
      expect(sent[2]?.url).toContain('confirm_credit=1');
      expect(c.getState().status).toBe('succeeded');
    });

    it('honours Retry-After: no retry before it has passed', async () => {
      replies = [failure(409, 'REQUEST_IN_PROGRESS', {}, { 'Retry-After': '7' }), ok];
      const c = controller();
      const done = c.submit({ title: 'a' });
      await vi.advanceTimersByTimeAsync(6_900);
      expect(sent).toHaveLength(1);
      expect(c.getState().status).toBe('running');
      await vi.advanceTimersByTimeAsync(200);
      await done;
      expect(sent).toHaveLength(2);
    });

    it('backs off between retries', async () => {
      replies = ['network-error', 'network-error', ok];
      const c = controller({ retry: { baseDelayMs: 1_000 } });
      const done = c.submit({ title: 'a' });
      await vi.advanceTimersByTimeAsync(0);
      expect(sent).toHaveLength(1);
      // random() = 0.5: 750 ms, then 1,500 ms
      await vi.advanceTimersByTimeAsync(749);
      expect(sent).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1_499);
      expect(sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      await done;
      expect(sent).toHaveLength(3);
    });

    it('gives up after a bounded number of retries, then fails', async () => {
      replies = Array.from({ length: 20 }, () => failure(503, 'SERVICE_UNAVAILABLE'));
      const c = controller({ retry: { maxRetries: 3 } });
      const done = c.submit({ title: 'a' });
      await vi.runAllTimersAsync();
      await done;
      expect(sent).toHaveLength(4);
      expect(new Set(sent.map((r) => r.key)).size).toBe(1);
      const state = c.getState();
      expect(state.status === 'failed' && state.error.code).toBe('SERVICE_UNAVAILABLE');
    });

    it('stops retrying once disposed', async () => {
      replies = ['network-error', ok];
      const c = controller();
      const done = c.submit({ title: 'a' });
      await vi.advanceTimersByTimeAsync(0);
      c.dispose();
      await vi.runAllTimersAsync();
      await done;
      expect(sent).toHaveLength(1);
    });
  });
});

describe('retryDelayMs', () => {
  it('grows exponentially, is capped, and jitters within the upper half', () => {
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelayMs(0, null, policy, () => 0)).toBe(50);
    expect(retryDelayMs(0, null, policy, () => 0.999)).toBeCloseTo(99.95);
    expect(retryDelayMs(3, null, policy, () => 0)).toBe(400);
    expect(retryDelayMs(10, null, policy, () => 0)).toBe(500);
  });

  it('never waits less than Retry-After', () => {
    expect(retryDelayMs(0, 3_000, DEFAULT_RETRY, () => 0)).toBe(3_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('ActionController: attempts that survive a reload', () => {
  const KEY = 'attempt:POST /api/events';

  function memoryStore() {
    const items = new Map<string, string>();
    return {
      items,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
  }

  /** A controller on a shared store, as each page load makes a new one; the outcome lookup is scripted. */
  function page(store: ReturnType<typeof memoryStore>, outcome: () => Promise<AttemptOutcome> = async () => 'unknown', now = () => 1_000_000) {
    const lookups: string[] = [];
    const c = controller({
      now,
      persistence: {
        store,
        key: KEY,
        parse: (v) => (v && typeof v === 'object' && 'title' in v && typeof v.title === 'string' ? { title: v.title } : null),
        lookup: async (id) => {
          lookups.push(id);
          return outcome();
        },
      },
    });
    return { c, lookups };
  }

  /** A page submits, its request hangs, and the page goes away (a reload): the attempt's key. */
  async function leftInFlight(store: ReturnType<typeof memoryStore>, title: string): Promise<string | null | undefined> {
    replies = ['hang'];
    const left = page(store);
    void left.c.submit({ title });
    await vi.advanceTimersByTimeAsync(0);
    left.c.dispose();
    return sent.at(-1)?.key;
  }

  it('keeps the running attempt, and a reload finishes it with the same key (the server replays)', async () => {
    const store = memoryStore();
    replies = ['hang'];
    const first = page(store);
    void first.c.submit({ title: 'Saved' });
    await vi.advanceTimersByTimeAsync(0);
    const key = sent[0]?.key;
    expect(JSON.parse(store.items.get(KEY) ?? '{}')).toMatchObject({ correlationId: key, payload: { title: 'Saved' }, confirming: false });
    first.c.dispose(); // the reload

    const second = page(store, async () => 'completed');
    expect(second.c.savedPayload()).toEqual({ title: 'Saved' });
    await second.c.resume();
    expect(second.lookups).toEqual([key]);
    expect(sent.at(-1)).toMatchObject({ key, body: { title: 'Saved' } });
    expect(second.c.getState().status).toBe('succeeded');
    expect(store.items.has(KEY)).toBe(false);
  });

  it('reopens the modal for an attempt awaiting confirmation, and confirming reuses its key', async () => {
    const store = memoryStore();
    replies = [needsConfirmation];
    const first = page(store);
    await first.c.submit({ title: 'Big' });
    const key = sent[0]?.key;
    first.c.dispose();

    replies = [needsConfirmation, ok];
    const second = page(store, async () => 'awaiting_confirmation');
    await second.c.resume();
    expect(second.c.getState()).toMatchObject({ status: 'awaiting_confirmation', details: creditDetails });
    await second.c.confirm();
    expect(sent.slice(1).map((r) => [r.key, r.url.endsWith('confirm_credit=1')])).toEqual([
      [key, false],
      [key, true],
    ]);
    expect(second.c.getState().status).toBe('succeeded');
  });

  it('offers to send again an attempt the server has no record of, with the same key; cancel drops it', async () => {
    const store = memoryStore();
    const key = await leftInFlight(store, 'Lost');

    const second = page(store, async () => 'unknown');
    await second.c.resume();
    expect(second.c.getState()).toEqual({ status: 'interrupted', correlationId: key });
    expect(sent).toHaveLength(1);
    await second.c.resend();
    expect(sent.at(-1)?.key).toBe(key);
    expect(second.c.getState().status).toBe('succeeded');

    await leftInFlight(store, 'Dropped');
    const fourth = page(store, async () => 'failed');
    await fourth.c.resume();
    expect(fourth.c.getState().status).toBe('interrupted');
    fourth.c.cancel();
    expect(fourth.c.getState().status).toBe('idle');
    expect(store.items.has(KEY)).toBe(false);
  });

  it('a submit of the same payload after an interruption is the same attempt; another payload is a new one', async () => {
    const store = memoryStore();
    const key = await leftInFlight(store, 'Same');

    const second = page(store, async () => 'unknown');
    await second.c.resume();
    await second.c.submit({ title: 'Same' });
    expect(sent.at(-1)?.key).toBe(key);

    const before = await leftInFlight(store, 'Before');
    const fourth = page(store, async () => 'unknown');
    await fourth.c.resume();
    await fourth.c.submit({ title: 'Edited' });
    expect(sent.at(-1)?.key).not.toBe(before);
    expect(sent.at(-1)?.body).toEqual({ title: 'Edited' });
  });

  it('forgets an attempt older than the retention, a finished one, and one that does not parse', async () => {
    const store = memoryStore();
    let clock = 1_000_000;
    replies = ['hang'];
    const first = page(store, undefined, () => clock);
    void first.c.submit({ title: 'Old' });
    await vi.advanceTimersByTimeAsync(0);
    first.c.dispose();
    clock += 24 * 3600 * 1000;
    const later = page(store, async () => 'completed', () => clock);
    expect(later.c.savedPayload()).toBeNull();
    await later.c.resume();
    expect(later.lookups).toEqual([]);
    expect(later.c.getState().status).toBe('idle');
    expect(store.items.has(KEY)).toBe(false);

    replies = [failure(400, 'VALIDATION_FAILED')];
    await page(store).c.submit({ title: 'Refused' });
    expect(store.items.has(KEY)).toBe(false);

    store.items.set(KEY, JSON.stringify({ v: 1, correlationId: 'x', payload: { nope: 1 }, confirming: false, savedAt: 1_000_000 }));
    expect(page(store).c.savedPayload()).toBeNull();
    expect(store.items.has(KEY)).toBe(false);
  });
});

describe('ActionController: the outcome lookup when automatic retries run out', () => {
  const KEY = 'attempt:POST /api/events';

  /** maxRetries 1: two requests, then the lookup; `outcomes` are the lookup's answers in turn. */
  function lookingUp(outcomes: AttemptOutcome[]) {
    const items = new Map<string, string>();
    const lookups: string[] = [];
    const c = controller({
      retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 100 },
      persistence: {
        store: { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) },
        key: KEY,
        parse: (v) => (v && typeof v === 'object' && 'title' in v && typeof v.title === 'string' ? { title: v.title } : null),
        lookup: async (id) => {
          lookups.push(id);
          return outcomes.shift() ?? 'unknown';
        },
      },
    });
    return { c, lookups, items };
  }

  async function settle(done: Promise<void>): Promise<void> {
    await vi.runAllTimersAsync();
    await done;
  }

  it('completed: sends again with the same key and ends on the (replayed) result', async () => {
    replies = ['network-error', 'network-error', ok];
    const { c, lookups, items } = lookingUp(['completed']);
    const seen = statuses(c);
    await settle(c.submit({ title: 'a' }));
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((r) => r.key)).size).toBe(1);
    expect(lookups).toEqual([sent[0]?.key]);
    expect(seen).toEqual(['running', 'succeeded']);
    expect(items.has(KEY)).toBe(false);
  });

  it('in progress: waits Retry-After before sending again', async () => {
    const busy = failure(409, 'REQUEST_IN_PROGRESS', {}, { 'Retry-After': '5' });
    replies = [busy, busy, ok];
    const { c, lookups } = lookingUp(['in_progress']);
    const done = c.submit({ title: 'a' });
    await vi.advanceTimersByTimeAsync(5_000); // the retry after the first 409
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(lookups).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    await done;
    expect(sent).toHaveLength(3);
    expect(sent[2]?.key).toBe(sent[0]?.key);
    expect(c.getState().status).toBe('succeeded');
  });

  it('awaiting confirmation: the confirm that ran out is sent again without the flag, and the modal reopens', async () => {
    replies = [needsConfirmation, 'network-error', 'network-error', needsConfirmation];
    const { c } = lookingUp(['awaiting_confirmation']);
    await c.submit({ title: 'a' });
    await settle(c.confirm());
    expect(sent.map((r) => r.url.endsWith('confirm_credit=1'))).toEqual([false, true, true, false]);
    expect(new Set(sent.map((r) => r.key)).size).toBe(1);
    expect(c.getState()).toMatchObject({ status: 'awaiting_confirmation', details: creditDetails, error: null });
  });

  it.each<AttemptOutcome>(['unknown', 'failed'])('%s: interrupted, kept for a reload, and sending again reuses the key', async (outcome) => {
    replies = [failure(503, 'SERVICE_UNAVAILABLE'), 'network-error', ok];
    const { c, items } = lookingUp([outcome]);
    await settle(c.submit({ title: 'a' }));
    const key = sent[0]?.key;
    expect(c.getState()).toEqual({ status: 'interrupted', correlationId: key });
    expect(JSON.parse(items.get(KEY) ?? '{}')).toMatchObject({ correlationId: key, payload: { title: 'a' } });
    await settle(c.resend());
    expect(sent.map((r) => r.key)).toEqual([key, key, key]);
    expect(c.getState().status).toBe('succeeded');
  });

  it('asks a bounded number of times: a server that keeps saying completed behind a dead network ends interrupted', async () => {
    replies = Array.from({ length: 20 }, () => 'network-error' as const);
    const { c, lookups } = lookingUp(['completed', 'completed', 'completed']);
    await settle(c.submit({ title: 'a' }));
    expect(lookups).toHaveLength(2);
    expect(sent).toHaveLength(6);
    expect(c.getState().status).toBe('interrupted');
  });

  it('a refusal is not looked up: it fails as before', async () => {
    replies = [failure(422, 'IDEMPOTENCY_KEY_REUSED')];
    const { c, lookups } = lookingUp(['completed']);
    await c.submit({ title: 'a' });
    expect(lookups).toEqual([]);
    expect(c.getState().status).toBe('failed');
  });
});
