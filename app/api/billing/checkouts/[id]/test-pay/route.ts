import { settleTestCheckout } from '@/lib/flows/payment-inbox';
import { testPaySchema } from '@/lib/billing/schemas';
import { methods } from '@/lib/http/methods';

/** The local test provider's "Pay" and "Cancel" (no money moves); 404 unless the test provider is on. */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/billing/checkouts/[id]/test-pay', {
  POST: (route) => route
    .body(testPaySchema)
    .idempotent()
    .handle(async ({ team, params, body, db }) => {
      const { checkout } = await settleTestCheckout(db, { teamId: team.id, checkoutId: params.id, outcome: body.outcome });
      return { status: 200, data: { checkout } };
    }),
});
