import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it('reads the amount in minor units of the currency', () => {
    expect(formatMoney(2000, 'eur', 'en')).toBe('€20.00');
    expect(formatMoney(500, 'usd', 'en')).toBe('$5.00');
    expect(formatMoney(500, 'jpy', 'en')).toBe('¥500');
  });
});
