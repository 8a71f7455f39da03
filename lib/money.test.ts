import { describe, expect, it } from 'vitest';
import { CURRENCY_CHOICES, currencyLabel, formatMoney } from './money';

describe('formatMoney', () => {
  it('reads the amount in minor units of the currency', () => {
    expect(formatMoney(2000, 'eur', 'en')).toBe('€20.00');
    expect(formatMoney(500, 'usd', 'en')).toBe('$5.00');
    expect(formatMoney(500, 'jpy', 'en')).toBe('¥500');
  });
});

describe('currency choices', () => {
  it('are codes the runtime knows (the settings schema refuses any other), each with a name in both languages', () => {
    const known = new Set(Intl.supportedValuesOf('currency'));
    for (const code of CURRENCY_CHOICES) {
      expect(known.has(code), code).toBe(true);
      expect(currencyLabel(code, 'en')).toMatch(new RegExp(`^${code} · \\S`));
      expect(currencyLabel(code.toLowerCase(), 'ru')).toMatch(new RegExp(`^${code} · \\S`));
    }
    expect(currencyLabel('eur', 'ru')).toBe('EUR · евро');
  });
});
