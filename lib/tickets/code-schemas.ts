// Discount and access codes: the schemas of each operation (shared by the
// organiser's form and the route handlers; issue messages are keys under
// `validation`) and the shapes the API answers with (docs/api.md, "Discount
// and access codes"). Browser-safe: no database, no server code.
import { z } from '@/lib/zod';
import { DISCOUNT_CODE_STATUSES, type DiscountCodeStatus } from '@/lib/enums';
import { isDateInRange } from '@/lib/events/schemas';
import type { Money } from './schemas';

/** 3 to 32 of A–Z 0–9 - _, matched without regard to case (stored upper-case). */
export const CODE_PATTERN = /^[A-Z0-9_-]{3,32}$/;

/** A code as typed (any case, spaces around it) as it is stored and matched. */
export function normaliseCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Whether a typed code could be one at all (an impossible one is `unknown` without a query). */
export function isCodeShaped(raw: string): boolean {
  return CODE_PATTERN.test(normaliseCode(raw));
}

/** At most this many codes in one bulk creation (docs/api.md). */
export const MAX_BULK_CODES = 500;

const codeField = z
  .string({ error: 'codeFormat' })
  .transform(normaliseCode)
  .pipe(z.string().regex(CODE_PATTERN, 'codeFormat'));

const discountSchema = z.union(
  [
    z.strictObject({ percent: z.number({ error: 'discountPercent' }).int('discountPercent').min(1, 'discountPercent').max(100, 'discountPercent') }),
    z.strictObject({
      amount: z.strictObject(
        {
          amount: z.number({ error: 'discountAmount' }).int('discountAmount').min(1, 'discountAmount').max(100_000_000, 'discountAmount'),
          currency: z
            .string({ error: 'currency' })
            .trim()
            .toLowerCase()
            .regex(/^[a-z]{3}$/, 'currency'),
        },
        { error: 'discountAmount' },
      ),
    }),
  ],
  { error: 'discount' },
);
export type CodeDiscount = { percent: number } | { amount: Money };

const idList = z.array(z.uuid({ error: 'invalid' }), { error: 'invalid' }).max(100, 'invalid');
const dateTime = z.iso.datetime({ offset: true, error: 'dateTime' }).refine(isDateInRange, 'dateRange');

const codeRuleFields = {
  discount: discountSchema.nullable().optional(),
  /** The types it applies to; absent or null: all. */
  ticketTypeIds: idList.nullable().optional(),
  unlocks: idList.optional(),
  maxUses: z.number({ error: 'maxUses' }).int('maxUses').min(1, 'maxUses').max(1_000_000, 'maxUses').nullable().optional(),
  validFrom: dateTime.nullable().optional(),
  validUntil: dateTime.nullable().optional(),
};

function validityInOrder(rule: { validFrom?: string | null; validUntil?: string | null }): boolean {
  return !rule.validFrom || !rule.validUntil || Date.parse(rule.validFrom) < Date.parse(rule.validUntil);
}

/** A code does something: a discount, or a type it unlocks. */
function doesSomething(rule: { discount?: CodeDiscount | null; unlocks?: string[] }): boolean {
  return (rule.discount !== undefined && rule.discount !== null) || (rule.unlocks?.length ?? 0) > 0;
}

export const createCodeSchema = z
  .strictObject({ code: codeField, ...codeRuleFields }, { error: 'invalid' })
  .refine(validityInOrder, { message: 'validityOrder', path: ['validUntil'] })
  .refine(doesSomething, { message: 'codeDoesNothing', path: ['discount'] });
export type CreateCodeInput = z.input<typeof createCodeSchema>;
export type CreateCodeData = z.output<typeof createCodeSchema>;

export const updateCodeSchema = z
  .strictObject({ ...codeRuleFields, status: z.enum(DISCOUNT_CODE_STATUSES, { error: 'status' }).optional() }, { error: 'invalid' })
  .refine((patch) => Object.keys(patch).length > 0, 'emptyPatch')
  .refine(validityInOrder, { message: 'validityOrder', path: ['validUntil'] });
export type UpdateCodeInput = z.input<typeof updateCodeSchema>;
export type UpdateCodeData = z.output<typeof updateCodeSchema>;

/** N single-use (by default) codes: `<PREFIX>-<8 random characters>`, the same rules each. */
export const bulkCodesSchema = z
  .strictObject(
    {
      prefix: z
        .string({ error: 'codePrefix' })
        .transform(normaliseCode)
        .pipe(z.string().regex(/^[A-Z0-9_-]{1,20}$/, 'codePrefix')),
      count: z.number({ error: 'codeCount' }).int('codeCount').min(1, 'codeCount').max(MAX_BULK_CODES, 'codeCount'),
      ...codeRuleFields,
      maxUses: codeRuleFields.maxUses.default(1),
    },
    { error: 'invalid' },
  )
  .refine(validityInOrder, { message: 'validityOrder', path: ['validUntil'] })
  .refine(doesSomething, { message: 'codeDoesNothing', path: ['discount'] });
export type BulkCodesInput = z.input<typeof bulkCodesSchema>;
export type BulkCodesData = z.output<typeof bulkCodesSchema>;

// ---- answers ---------------------------------------------------------------

/** A code as its organiser sees it: `used` (tickets of paid or free-confirmed orders), `held` (live holds), revenue from payments. */
export type CodeDto = {
  id: string;
  code: string;
  discount: CodeDiscount | null;
  ticketTypeIds: string[] | null;
  unlocks: string[];
  maxUses: number | null;
  used: number;
  held: number;
  /** maxUses - used - held, or null without a limit. */
  remaining: number | null;
  validFrom: string | null;
  validUntil: string | null;
  status: DiscountCodeStatus;
  /** What its orders paid (payments less refunds), in the event's currency's minor units. */
  revenue: number;
  createdAt: string;
};

export const CODE_INVALID_REASONS = ['unknown', 'not_yet_valid', 'expired', 'exhausted'] as const;
export type CodeInvalidReason = (typeof CODE_INVALID_REASONS)[number];

/** What the public page says of a code a guest typed. */
export type PublicCodeState =
  | { code: string; valid: true; discount: CodeDiscount | null; remaining: number | null }
  | { code: string; valid: false; reason: CodeInvalidReason };

/** `GET /api/public/events/:slug?code=`: a code typed by the guest (any case; an impossible one is `unknown`). */
export const publicEventQuerySchema = z.strictObject({ code: z.string({ error: 'invalid' }).max(64, 'invalid').optional() }, { error: 'invalid' });
