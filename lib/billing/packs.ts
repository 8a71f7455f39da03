// Credit packs for sale: configuration, not data. The defaults below, or
// CREDIT_PACKS ("credits:amount,…", amount in the currency's minor units) and
// CREDIT_PACKS_CURRENCY (ISO 4217, lower case) from the environment. A pack's
// id is `credits-<n>`; a checkout freezes its pack's credits and price when it
// opens, so changing the configuration never changes an open checkout.
import { config } from '@/lib/config';

export type Price = { amount: number; currency: string };
export type Pack = { id: string; credits: number; price: Price };

const MAX_CREDITS = 1000;
const MAX_AMOUNT = 99_999_999; // Stripe's limit for one amount in minor units

/** Parses the configuration; throws on anything malformed, so a bad deployment fails loudly. */
export function parsePacks(spec: string, currency: string): Pack[] {
  if (!/^[a-z]{3}$/.test(currency)) throw new Error(`CREDIT_PACKS_CURRENCY must be a lower-case ISO 4217 code, not "${currency}"`);
  const packs = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(\d+):(\d+)$/.exec(part);
      const credits = Number(match?.[1]);
      const amount = Number(match?.[2]);
      if (!match || !Number.isSafeInteger(credits) || credits < 1 || credits > MAX_CREDITS || amount < 1 || amount > MAX_AMOUNT) {
        throw new Error(`CREDIT_PACKS: "${part}" is not "credits:amount" (1–${MAX_CREDITS} credits, amount in minor units)`);
      }
      return { id: `credits-${credits}`, credits, price: { amount, currency } };
    });
  if (packs.length === 0) throw new Error('CREDIT_PACKS names no pack');
  if (new Set(packs.map((p) => p.id)).size !== packs.length) throw new Error('CREDIT_PACKS names a credit count twice');
  return packs.sort((a, b) => a.credits - b.credits);
}

let cached: { key: string; packs: Pack[] } | null = null;

/** The packs on sale (parsed once per distinct configuration; the defaults are lib/config.ts's). */
export function creditPacks(): Pack[] {
  const { CREDIT_PACKS: spec, CREDIT_PACKS_CURRENCY: currency } = config();
  const key = `${spec}|${currency}`;
  if (cached?.key !== key) cached = { key, packs: parsePacks(spec, currency) };
  return cached.packs;
}

export function findPack(id: string): Pack | null {
  return creditPacks().find((pack) => pack.id === id) ?? null;
}
