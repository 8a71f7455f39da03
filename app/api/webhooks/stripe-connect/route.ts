import { receiveStripeWebhook } from '@/lib/flows/payment-inbox';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { methods } from '@/lib/http/methods';
import { webhook } from '@/lib/http/webhook';

export const dynamic = 'force-dynamic';

/**
 * Stripe Connect's events (connected accounts': `account.updated`, …):
 * verified with STRIPE_CONNECT_WEBHOOK_SECRET over the raw body (400
 * INVALID_SIGNATURE, nothing written), then recorded in the same payment inbox
 * as the platform's, keyed by event id and account, and applied in one
 * transaction committed before the 200.
 */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/webhooks/stripe-connect', {
  POST: (route) =>
    webhook(route.endpoint, async (rawBody, request) => {
      await loadServerKeys();
      await receiveStripeWebhook(rawBody, request.headers.get('stripe-signature'), 'connect');
      return { received: true };
    }),
});
