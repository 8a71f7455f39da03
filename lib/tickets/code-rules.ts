// The rules of a discount or access code, without a database: whether it can
// be used at an instant, which ticket types it reaches, what it takes off one
// ticket, and how many uses are left. codes.ts decides with these under the
// event's lock; the public page shows what they say.
import type { DiscountCodeRow, TicketTypeRow } from '@/lib/db/schema';
import type { CodeDiscount, CodeInvalidReason } from './code-schemas';

export type CodeRule = Pick<
  DiscountCodeRow,
  'discountPercent' | 'discountAmount' | 'currency' | 'ticketTypeIds' | 'unlocks' | 'maxUses' | 'validFrom' | 'validUntil' | 'status'
>;

export type CodeUses = { used: number; held: number };

/** What is left of a code's uses (null: no limit). */
export function remainingUses(code: Pick<CodeRule, 'maxUses'>, uses: CodeUses): number | null {
  return code.maxUses === null ? null : Math.max(0, code.maxUses - uses.used - uses.held);
}

/** Why a code cannot be used now, or null when it can. A disabled code is as good as unknown to a guest. */
export function codeRefusal(code: CodeRule | null, uses: CodeUses, at: number): CodeInvalidReason | null {
  if (code?.status !== 'active') return 'unknown';
  if (code.validFrom && code.validFrom.getTime() > at) return 'not_yet_valid';
  if (code.validUntil && code.validUntil.getTime() <= at) return 'expired';
  if (remainingUses(code, uses) === 0) return 'exhausted';
  return null;
}

export function discountOf(code: Pick<CodeRule, 'discountPercent' | 'discountAmount' | 'currency'>): CodeDiscount | null {
  if (code.discountPercent !== null) return { percent: code.discountPercent };
  if (code.discountAmount !== null && code.currency !== null) return { amount: { amount: code.discountAmount, currency: code.currency } };
  return null;
}

/** Whether a ticket of this type bought with the code is one of its uses: the type is one it discounts or unlocks. */
export function codeReaches(code: Pick<CodeRule, 'ticketTypeIds' | 'unlocks' | 'discountPercent' | 'discountAmount'>, typeId: string): boolean {
  if (code.unlocks.includes(typeId)) return true;
  const discounts = code.discountPercent !== null || code.discountAmount !== null;
  return discounts && (code.ticketTypeIds === null || code.ticketTypeIds.includes(typeId));
}

/**
 * What the code takes off one ticket of the type: a percent of its price
 * (rounded to the nearest minor unit; 100 % is all of it) or an amount (in
 * the type's currency; never below 0). 0 for a type it does not discount.
 */
export function unitDiscountOf(code: Pick<CodeRule, 'ticketTypeIds' | 'discountPercent' | 'discountAmount' | 'currency'>, type: Pick<TicketTypeRow, 'id' | 'priceAmount' | 'currency'>): number {
  if (code.ticketTypeIds !== null && !code.ticketTypeIds.includes(type.id)) return 0;
  if (code.discountPercent !== null) return Math.min(type.priceAmount, Math.round((type.priceAmount * code.discountPercent) / 100));
  if (code.discountAmount !== null && code.currency === type.currency) return Math.min(type.priceAmount, code.discountAmount);
  return 0;
}

/** Whether a guest may see and buy the type: a visible one, or a hidden one the code unlocks. */
export function typeVisible(type: Pick<TicketTypeRow, 'id' | 'hidden'>, code: Pick<CodeRule, 'unlocks'> | null): boolean {
  return !type.hidden || (code?.unlocks.includes(type.id) ?? false);
}
