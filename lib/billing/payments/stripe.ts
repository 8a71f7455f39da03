// Stripe Checkout through the official SDK, and the verification of its
// webhooks. STRIPE_API_BASE (e.g. http://127.0.0.1:12111) points the SDK at
// another server: stripe-mock, or the fake the integration tests start.
import Stripe from 'stripe';
import { AppError } from '@/lib/errors';
import { describeError, logLine } from '@/lib/log';
import type { PaymentProvider, ProviderAccount } from './provider';
import { providerRefundStatus, type ProviderRefund } from './refund-status';
import { config } from '@/lib/config';

function refundAnswer(refund: Stripe.Refund): ProviderRefund {
  const status = providerRefundStatus(refund.status);
  return { providerRefundId: refund.id, status, failure: status === 'failed' ? (refund.failure_reason ?? refund.status ?? 'failed') : undefined };
}

/** A connected account as ours (also what `account.updated` carries). */
export function accountAnswer(account: Stripe.Account): ProviderAccount {
  return {
    accountId: account.id,
    chargesEnabled: account.charges_enabled ?? false,
    payoutsEnabled: account.payouts_enabled ?? false,
    detailsSubmitted: account.details_submitted ?? false,
    requirements: account.requirements?.currently_due ?? [],
  };
}

/** Stripe's own default: a signature older than five minutes is refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

function clientConfig(): Stripe.StripeConfig {
  const client: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: 10_000 };
  const base = config().STRIPE_API_BASE;
  if (base) {
    const url = new URL(base);
    const protocol = url.protocol === 'http:' ? 'http' : 'https';
    client.host = url.hostname;
    client.port = url.port || (protocol === 'http' ? 80 : 443);
    client.protocol = protocol;
  }
  return client;
}

export function stripeProvider(secretKey: string): PaymentProvider {
  const stripe = new Stripe(secretKey, clientConfig());
  return {
    name: 'stripe',
    async createSession({ checkoutId, credits, amount, currency, appOrigin, returnPath }) {
      const back = (state: string) => {
        const url = new URL(returnPath, appOrigin);
        url.searchParams.set('checkout', checkoutId);
        url.searchParams.set('state', state);
        return url.toString();
      };
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            client_reference_id: checkoutId,
            metadata: { checkout_id: checkoutId },
            line_items: [
              {
                quantity: 1,
                price_data: { currency, unit_amount: amount, product_data: { name: `${credits} event credits` } },
              },
            ],
            success_url: back('success'),
            cancel_url: back('cancelled'),
          },
          // One checkout, one session: a retry (ours or the SDK's) gets the same one back.
          { idempotencyKey: `checkout-${checkoutId}` },
        );
        if (!session.url) throw new Error('Stripe returned a Checkout Session without a url');
        return { sessionId: session.id, url: session.url };
      } catch (error) {
        logLine('error', 'payments.session_failed', { provider: 'stripe', checkoutId, cause: describeError(error) });
        throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', { retryAfterSeconds: 5 });
      }
    },
    async createOrderSession({ orderId, lines, currency, expiresAt, appOrigin, returnPath, destination }) {
      const back = (state: string) => {
        const url = new URL(returnPath, appOrigin);
        url.searchParams.set('state', state);
        return url.toString();
      };
      try {
        const session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            client_reference_id: orderId,
            metadata: { order_id: orderId },
            payment_intent_data: {
              metadata: { order_id: orderId },
              // A destination charge: the money goes to the team's connected account, the platform keeps its fee.
              ...(destination && {
                transfer_data: { destination: destination.account },
                ...(destination.applicationFee > 0 && { application_fee_amount: destination.applicationFee }),
              }),
            },
            expires_at: Math.floor(expiresAt.getTime() / 1000),
            line_items: lines.map((line) => ({
              quantity: line.quantity,
              price_data: { currency, unit_amount: line.unitAmount, product_data: { name: line.name } },
            })),
            success_url: back('success'),
            cancel_url: back('cancelled'),
          },
          // One order, one session, ever: any retry (ours, the SDK's, another tab's) gets the same one back.
          { idempotencyKey: `order-${orderId}` },
        );
        if (!session.url) throw new Error('Stripe returned a Checkout Session without a url');
        return { sessionId: session.id, url: session.url };
      } catch (error) {
        logLine('error', 'payments.session_failed', { provider: 'stripe', orderId, cause: describeError(error) });
        throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', { retryAfterSeconds: 5 });
      }
    },
    async refund({ refundId, retries, providerPaymentId, amount, reverseTransfer }) {
      if (!providerPaymentId) throw new Error(`refund ${refundId}: the payment has no PaymentIntent`);
      const refund = await stripe.refunds.create(
        {
          payment_intent: providerPaymentId,
          amount,
          metadata: { refund_id: refundId },
          // A destination charge's refund takes the money back from the team's account and the fee in proportion.
          ...(reverseTransfer && { reverse_transfer: true, refund_application_fee: true }),
        },
        // Derived from our row: a crash between our commit and Stripe's answer never refunds twice.
        // A retry after Stripe failed the refund is a new request: the old key would answer the failed refund again.
        { idempotencyKey: retries > 0 ? `refund-${refundId}-retry-${retries}` : `refund-${refundId}` },
      );
      return refundAnswer(refund);
    },
    async readRefund(providerRefundId) {
      return refundAnswer(await stripe.refunds.retrieve(providerRefundId));
    },
    async createAccount({ teamId }) {
      const account = await stripe.accounts.create(
        {
          type: 'express',
          metadata: { team_id: teamId },
          capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
        },
        // One connected account per team, ever: any retry (ours, the SDK's, a second tab's) gets the same one back.
        { idempotencyKey: `connect-account-${teamId}` },
      );
      return accountAnswer(account);
    },
    async onboardingUrl({ accountId, appOrigin, returnPath }) {
      const back = (state: string) => {
        const url = new URL(returnPath, appOrigin);
        url.searchParams.set('onboarding', state);
        return url.toString();
      };
      // Account Links are single-use and short-lived: a new one each time the owner asks.
      const link = await stripe.accountLinks.create({ account: accountId, type: 'account_onboarding', refresh_url: back('refresh'), return_url: back('return') });
      return link.url;
    },
  };
}

/**
 * Verifies `Stripe-Signature` over the raw body (HMAC-SHA256 of `<t>.<body>`,
 * five minutes' tolerance) and parses the event; 400 INVALID_SIGNATURE otherwise.
 * Without STRIPE_WEBHOOK_SECRET (STRIPE_CONNECT_WEBHOOK_SECRET for the Connect
 * endpoint) every delivery is refused.
 */
export function verifyStripeEvent(rawBody: string, signature: string | null, endpoint: 'platform' | 'connect' = 'platform'): Stripe.Event {
  // Connect events come to their own endpoint, signed with its own secret.
  const secret = endpoint === 'connect' ? config().STRIPE_CONNECT_WEBHOOK_SECRET : config().STRIPE_WEBHOOK_SECRET;
  if (!secret || !signature) throw new AppError('INVALID_SIGNATURE');
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, secret, WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    logLine('warn', 'payments.webhook_rejected', { cause: describeError(error).message });
    throw new AppError('INVALID_SIGNATURE');
  }
}
