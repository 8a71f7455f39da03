import { z } from '@/lib/zod';

/** POST /api/billing/checkout. `returnTo`: the app path the billing page offers to go back to after paying. */
export const createCheckoutSchema = z.strictObject({
  packId: z.string().min(1).max(64),
  returnTo: z
    .string()
    .max(2048)
    .regex(/^\/(?![/\\])/, 'invalid')
    .optional(),
});

/** POST /api/billing/checkouts/:id/test-pay: the TEST payment page's buttons. */
export const testPaySchema = z.strictObject({
  outcome: z.enum(['paid', 'expired']),
});
