import { describe, expect, it } from 'vitest';
import { codeReaches, codeRefusal, remainingUses, typeVisible, unitDiscountOf, type CodeRule } from './code-rules';

const rule = (over: Partial<CodeRule> = {}): CodeRule => ({
  discountPercent: null,
  discountAmount: null,
  currency: null,
  ticketTypeIds: null,
  unlocks: [],
  maxUses: null,
  validFrom: null,
  validUntil: null,
  status: 'active',
  ...over,
});
const type = (id: string, priceAmount: number, currency = 'eur') => ({ id, priceAmount, currency, hidden: false });

describe('code rules', () => {
  it('a percent rounds to the minor unit, 100 % is the whole price; an amount never takes a ticket below 0 nor another currency', () => {
    expect(unitDiscountOf(rule({ discountPercent: 33 }), type('a', 2500))).toBe(825);
    expect(unitDiscountOf(rule({ discountPercent: 33 }), type('a', 999))).toBe(330);
    expect(unitDiscountOf(rule({ discountPercent: 100 }), type('a', 1234))).toBe(1234);
    expect(unitDiscountOf(rule({ discountAmount: 500, currency: 'eur' }), type('a', 300))).toBe(300);
    expect(unitDiscountOf(rule({ discountAmount: 500, currency: 'usd' }), type('a', 3000))).toBe(0);
    expect(unitDiscountOf(rule({ discountPercent: 50, ticketTypeIds: ['b'] }), type('a', 1000))).toBe(0);
  });

  it('reaches the types it discounts and those it unlocks; an unlock-only code reaches only those', () => {
    expect(codeReaches(rule({ discountPercent: 10 }), 'a')).toBe(true);
    expect(codeReaches(rule({ discountPercent: 10, ticketTypeIds: ['b'] }), 'a')).toBe(false);
    expect(codeReaches(rule({ unlocks: ['h'] }), 'h')).toBe(true);
    expect(codeReaches(rule({ unlocks: ['h'] }), 'a')).toBe(false);
    expect(typeVisible({ id: 'h', hidden: true }, null)).toBe(false);
    expect(typeVisible({ id: 'h', hidden: true }, rule({ unlocks: ['h'] }))).toBe(true);
  });

  it('says why it cannot be used: unknown or disabled, not yet valid, expired, used up', () => {
    const at = Date.parse('2026-06-01T12:00:00Z');
    const none = { used: 0, held: 0 };
    expect(codeRefusal(null, none, at)).toBe('unknown');
    expect(codeRefusal(rule({ status: 'disabled' }), none, at)).toBe('unknown');
    expect(codeRefusal(rule({ validFrom: new Date(at + 1) }), none, at)).toBe('not_yet_valid');
    expect(codeRefusal(rule({ validUntil: new Date(at) }), none, at)).toBe('expired');
    expect(codeRefusal(rule({ maxUses: 3 }), { used: 2, held: 1 }, at)).toBe('exhausted');
    expect(codeRefusal(rule({ maxUses: 3 }), { used: 1, held: 1 }, at)).toBeNull();
    expect(remainingUses(rule({ maxUses: 3 }), { used: 1, held: 1 })).toBe(1);
    expect(remainingUses(rule(), { used: 100, held: 1 })).toBeNull();
  });
});
