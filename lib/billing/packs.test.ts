import { afterEach, describe, expect, it } from 'vitest';
import { creditPacks, findPack, parsePacks } from './packs';

describe('credit packs', () => {
  const saved = { packs: process.env.CREDIT_PACKS, currency: process.env.CREDIT_PACKS_CURRENCY };
  afterEach(() => {
    process.env.CREDIT_PACKS = saved.packs ?? '';
    process.env.CREDIT_PACKS_CURRENCY = saved.currency ?? '';
  });

  it('defaults to 1, 5 and 20 credits in one currency, prices in minor units', () => {
    process.env.CREDIT_PACKS = '';
    process.env.CREDIT_PACKS_CURRENCY = '';
    expect(creditPacks()).toEqual([
      { id: 'credits-1', credits: 1, price: { amount: 500, currency: 'eur' } },
      { id: 'credits-5', credits: 5, price: { amount: 2000, currency: 'eur' } },
      { id: 'credits-20', credits: 20, price: { amount: 6000, currency: 'eur' } },
    ]);
  });

  it('is overridden by the environment', () => {
    process.env.CREDIT_PACKS = '20:9900, 1:199';
    process.env.CREDIT_PACKS_CURRENCY = 'usd';
    expect(creditPacks().map((p) => [p.id, p.price.amount, p.price.currency])).toEqual([
      ['credits-1', 199, 'usd'],
      ['credits-20', 9900, 'usd'],
    ]);
    expect(findPack('credits-5')).toBeNull();
    expect(findPack('credits-20')?.credits).toBe(20);
  });

  it('refuses a malformed configuration', () => {
    expect(() => parsePacks('1:500,x', 'eur')).toThrow(/CREDIT_PACKS/);
    expect(() => parsePacks('0:500', 'eur')).toThrow(/CREDIT_PACKS/);
    expect(() => parsePacks('1:0', 'eur')).toThrow(/CREDIT_PACKS/);
    expect(() => parsePacks('1:5,1:6', 'eur')).toThrow(/twice/);
    expect(() => parsePacks('', 'eur')).toThrow(/no pack/);
    expect(() => parsePacks('1:500', 'EUR')).toThrow(/CURRENCY/);
  });
});
