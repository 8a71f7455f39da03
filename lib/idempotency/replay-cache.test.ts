import { describe, expect, it } from 'vitest';
import { type CachedAnswer, ReplayCache, type ReplayCacheLimits } from './replay-cache';

const limits: ReplayCacheLimits = { maxEntries: 3, maxBytes: 1_000_000, maxAgeMs: 60_000, expiryMarginMs: 5_000 };
const answer = (n: number): CachedAnswer => ({ kind: 'replayed', response: { status: 201, body: { n }, headers: { ETag: '"1"' } } });

function cacheAt(start = 1_000_000, custom: Partial<ReplayCacheLimits> = {}) {
  const clock = { now: start };
  return { clock, cache: new ReplayCache({ ...limits, ...custom }, () => clock.now) };
}

describe('ReplayCache', () => {
  it('answers only the same scope with the same fingerprint', () => {
    const { clock, cache } = cacheAt();
    cache.set('s1', 'h1', answer(1), new Date(clock.now + 3_600_000), 10);
    expect(cache.get('s1', 'h1')).toEqual(answer(1));
    expect(cache.get('s1', 'other body')).toBeNull();
    expect(cache.get('s2', 'h1')).toBeNull();
  });

  it('drops an entry before the record expires in the database, by the margin', () => {
    const { clock, cache } = cacheAt();
    cache.set('s', 'h', answer(1), new Date(clock.now + 20_000), 10);
    clock.now += 14_999;
    expect(cache.get('s', 'h')).not.toBeNull();
    clock.now += 1;
    expect(cache.get('s', 'h')).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing longer than maxAge, however far the expiry, and nothing already inside the margin', () => {
    const { clock, cache } = cacheAt();
    cache.set('far', 'h', answer(1), new Date(clock.now + 7 * 86_400_000), 10);
    cache.set('soon', 'h', answer(2), new Date(clock.now + 4_000), 10);
    expect(cache.get('soon', 'h')).toBeNull();
    clock.now += 60_000;
    expect(cache.get('far', 'h')).toBeNull();
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const { clock, cache } = cacheAt();
    const later = new Date(clock.now + 3_600_000);
    for (const s of ['a', 'b', 'c']) cache.set(s, 'h', answer(1), later, 10);
    expect(cache.get('a', 'h')).not.toBeNull(); // a is now the most recent
    cache.set('d', 'h', answer(1), later, 10);
    expect(cache.get('b', 'h')).toBeNull();
    expect(['a', 'c', 'd'].map((s) => cache.get(s, 'h') !== null)).toEqual([true, true, true]);
  });

  it('stays within maxBytes and never keeps one answer bigger than a sixteenth of it', () => {
    const { clock, cache } = cacheAt(1_000_000, { maxEntries: 1000, maxBytes: 16_000 });
    const later = new Date(clock.now + 3_600_000);
    cache.set('huge', 'h', answer(0), later, 2_000);
    expect(cache.get('huge', 'h')).toBeNull();
    for (let i = 0; i < 50; i++) cache.set(`s${i}`, 'h', answer(i), later, 500);
    // Each entry costs its body plus its keys and a fixed overhead (~770 bytes here): about 20 fit.
    expect(cache.size).toBeLessThan(25);
    expect(cache.size).toBeGreaterThan(15);
    expect(cache.get('s49', 'h')).not.toBeNull();
    expect(cache.get('s0', 'h')).toBeNull();
  });

  it('replaces the entry of a scope and counts its bytes once', () => {
    const { clock, cache } = cacheAt(1_000_000, { maxEntries: 1000, maxBytes: 16_000 });
    const later = new Date(clock.now + 3_600_000);
    for (let i = 0; i < 100; i++) cache.set('same', `h${i}`, answer(i), later, 500);
    expect(cache.size).toBe(1);
    expect(cache.get('same', 'h99')).toEqual(answer(99));
    for (let i = 0; i < 15; i++) cache.set(`s${i}`, 'h', answer(i), later, 100);
    expect(cache.size).toBe(16);
  });
});
