import { settleTestCheckout } from '@/lib/billing/purchases';
import { testPaySchema } from '@/lib/billing/schemas';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

/** The local test provider's "Pay" and "Cancel" (no money moves); 404 unless the test provider is on. */
export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: route('POST /api/billing/checkouts/:id/test-pay')
    .body(testPaySchema)
    .idempotent()
    .handle(async ({ user, params, body, db }) => {
      const { checkout } = await settleTestCheckout(db, { userId: user.id, checkoutId: params.id ?? '', outcome: body.outcome });
      return { status: 200, data: { checkout } };
    }),
});
