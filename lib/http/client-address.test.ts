import { describe, expect, it } from 'vitest';
import { resolveClientAddress, UNKNOWN_ADDRESS } from './client-address';

describe('resolveClientAddress', () => {
  it('with no trusted hops, is the peer whatever the headers say', () => {
    expect(resolveClientAddress('203.0.113.9', '192.0.2.1', 0)).toBe('192.0.2.1');
    expect(resolveClientAddress('203.0.113.9, 198.51.100.2', '192.0.2.1', 0)).toBe('192.0.2.1');
    expect(resolveClientAddress(null, null, 0)).toBe(UNKNOWN_ADDRESS);
    expect(resolveClientAddress('203.0.113.9', null, 0)).toBe(UNKNOWN_ADDRESS);
  });

  it('with N hops, is the N-th address from the right; entries further left are never read', () => {
    expect(resolveClientAddress('203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
    expect(resolveClientAddress('6.6.6.6, 203.0.113.9', '10.0.0.1', 1)).toBe('203.0.113.9');
    expect(resolveClientAddress('6.6.6.6, 203.0.113.9, 10.0.0.2', '10.0.0.1', 2)).toBe('203.0.113.9');
  });

  it('with fewer entries than hops, is the furthest one there is', () => {
    expect(resolveClientAddress(null, '10.0.0.1', 1)).toBe('10.0.0.1');
    expect(resolveClientAddress('203.0.113.9', '10.0.0.1', 3)).toBe('203.0.113.9');
  });

  it('normalises IPv4-mapped IPv6 and brackets, and bounds what it returns', () => {
    expect(resolveClientAddress(null, '::ffff:127.0.0.1', 0)).toBe('127.0.0.1');
    expect(resolveClientAddress('[2001:db8::1]', '10.0.0.1', 1)).toBe('2001:db8::1');
    expect(resolveClientAddress(`${'x'.repeat(300)}`, '10.0.0.1', 1).length).toBeLessThanOrEqual(64);
    expect(resolveClientAddress(`${'1.2.3.4,'.repeat(100_000)}5.6.7.8`, '10.0.0.1', 1)).toBe('5.6.7.8');
  });
});
