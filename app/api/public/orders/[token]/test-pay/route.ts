import { methods } from '@/lib/http/methods';
import { testPaySchema } from '@/lib/tickets/schemas';
import { settleTestOrder } from '@/lib/flows/payment-inbox';

/** The TEST payment page of an order (the local test provider only; 404 otherwise). */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/public/orders/[token]/test-pay', {
  POST: (route) => route
    .public()
    .body(testPaySchema)
    // A paid order's receipt carries its link, derived inside the layer's transaction.
    .withServerKeys()
    .idempotent()
    .handle(async ({ params, body, db }) => {
      const result = await settleTestOrder(db, { token: params.token, outcome: body.outcome });
      return { status: 200, data: result };
    }),
});
