// One clock for the server's services: whatever decides "is this hold live",
// "is this lease over" or "when is the next retry" asks `clock()`, so a test
// moves time with `setClock` instead of sleeping. Production reads the system clock.

export type Clock = {
  /** Milliseconds since the epoch. */
  now(): number;
};

export const systemClock: Clock = { now: () => Date.now() };

const key = Symbol.for('event-app.clock');
const holder = globalThis as typeof globalThis & { [key]?: Clock };

export function clock(): Clock {
  return holder[key] ?? systemClock;
}

/** The current instant as a Date. */
export function now(): Date {
  return new Date(clock().now());
}

/** Replaces the process's clock (tests); `undefined` restores the system clock. */
export function setClock(next: Clock | undefined): void {
  holder[key] = next;
}

/** A clock that stands still until moved: `advance(ms)` moves it forward. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(ms) {
      current = ms;
    },
  };
}
