import { describe, expect, it } from 'vitest';
import { formatPrice } from './format-price';

describe('formatPrice', () => {
  it('reads the amount in minor units of the currency', () => {
    expect(formatPrice(2000, 'eur', 'en')).toBe('€20.00');
    expect(formatPrice(500, 'usd', 'en')).toBe('$5.00');
    expect(formatPrice(500, 'jpy', 'en')).toBe('¥500');
  });
});
