import { openCheckout } from '@/lib/billing/purchases';
import { createCheckoutSchema } from '@/lib/billing/schemas';
import { methods } from '@/lib/http/methods';
import { appOrigin } from '@/lib/http/request-meta';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/billing/checkout', {
  // One checkout per Idempotency-Key: a replay answers the same checkout and
  // opens no second payment session; a new attempt (new key) is a new checkout.
  // Leased: opening the session waits on the payment provider.
  POST: (route) => route
    .body(createCheckoutSchema)
    .idempotent({ leased: true })
    .handle(async ({ team, body, db, request }) => {
      const checkout = await openCheckout(db, {
        teamId: team.id,
        packId: body.packId,
        returnTo: body.returnTo,
        appOrigin: appOrigin(request),
      });
      return {
        status: 201,
        data: { checkout },
        headers: { Location: `/api/billing/checkouts/${checkout.id}` },
        resource: { type: 'checkout', id: checkout.id },
      };
    }),
});
