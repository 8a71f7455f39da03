import { receiveStripeWebhook } from '@/lib/flows/payment-inbox';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { methods } from '@/lib/http/methods';
import { webhook } from '@/lib/http/webhook';

export const dynamic = 'force-dynamic';

/**
 * Stripe's events: `Stripe-Signature` verified over the raw body (400
 * INVALID_SIGNATURE, nothing written), then recorded in the payment inbox and
 * applied in one transaction committed before the 200. Every verified event is
 * acknowledged, including duplicates and types we ignore.
 */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhooks/stripe', {
  POST: (route) =>
    webhook(route.endpoint, async (rawBody, request) => {
      // Before the event's transaction: a paid order's receipt carries its link (lib/checkin/signing-key.ts, THE RULE).
      await loadServerKeys();
      await receiveStripeWebhook(rawBody, request.headers.get('stripe-signature'));
      return { received: true };
    }),
});
