// Where a checkout's payment happens. Stripe Checkout when STRIPE_SECRET_KEY is
// set; otherwise the local test provider (the embedded default and the tests),
// whose payment page lives in this app and completes through the same inbox.
import 'server-only';
import type { PaymentProviderName } from '@/lib/enums';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import { AppError } from '@/lib/errors';
import { logLine } from '@/lib/log';
import type { ProviderRefund } from './refund-status';
import { stripeProvider } from './stripe';
import { testProvider } from './test-provider';
import { config } from '@/lib/config';

export type SessionRequest = {
  checkoutId: string;
  credits: number;
  amount: number;
  currency: string;
  /** The app's public origin, for the pages the provider sends the payer back to. */
  appOrigin: string;
  /** Where the payer lands after paying or giving up (an app path). */
  returnPath: string;
};

export type ProviderSession = { sessionId: string; url: string };

/** A guest's ticket order: one session per order, ever, expiring with the order's hold. */
export type OrderSessionRequest = {
  orderId: string;
  lines: { name: string; quantity: number; unitAmount: number }[];
  currency: string;
  /** The hold's end: the session expires then too. */
  expiresAt: Date;
  appOrigin: string;
  /** The order's page (/o/<token>): where the payer comes back to. */
  returnPath: string;
  /**
   * A destination charge (Stripe Connect): the team's connected account the money goes to, and the
   * platform's fee kept from it, both frozen on the order. Null: the deployment's own account, no fee.
   */
  destination: { account: string; applicationFee: number } | null;
};

/** A team's connected account, as the provider has it now. */
export type ProviderAccount = {
  accountId: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  /** What the provider still asks for (Stripe: requirements.currently_due). */
  requirements: string[];
};

export type RefundRequest = {
  /** Our refund row's id: the provider's idempotency key is `refund-<id>` (`refund-<id>-retry-<n>` after the organiser's nth retry). */
  refundId: string;
  /** The organiser's retries of this refund after the provider failed it. */
  retries: number;
  /** The provider's payment (Stripe: the PaymentIntent). */
  providerPaymentId: string | null;
  amount: number;
  currency: string;
  /** A destination charge's refund: the transfer is reversed and the platform's fee refunded in proportion. */
  reverseTransfer: boolean;
};

export type { ProviderRefund } from './refund-status';
export { providerRefundStatus } from './refund-status';

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Opens a payment session for the checkout; the same checkout id never opens a second one. */
  createSession(request: SessionRequest): Promise<ProviderSession>;
  /** Opens the payment session of a ticket order; the same order id never opens a second one. */
  createOrderSession(request: OrderSessionRequest): Promise<ProviderSession>;
  /** Gives money back; the same refund id (and retry) never refunds twice. Asked once per refund: its progress is read with readRefund. */
  refund(request: RefundRequest): Promise<ProviderRefund>;
  /** Reads a refund the provider made (Stripe: GET /v1/refunds/:id), never creating one. */
  readRefund(providerRefundId: string): Promise<ProviderRefund>;
  /** Creates the team's connected account (Express); the same team never gets a second one (idempotency key from the team). */
  createAccount(request: { teamId: string }): Promise<ProviderAccount>;
  /** A link that opens the account's onboarding (Stripe: an Account Link; the test provider: its one-button page). */
  onboardingUrl(request: { accountId: string; appOrigin: string; returnPath: string }): Promise<string>;
}

/** The provider of a stored order or refund, whatever the deployment's configuration is now. */
export function paymentProviderNamed(name: PaymentProviderName): PaymentProvider {
  if (name === 'test') return testProvider;
  const key = config().STRIPE_SECRET_KEY;
  if (!key) throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', { retryAfterSeconds: 30 });
  return stripeProvider(key);
}

/**
 * The test provider gives credits away, so a production server on a real
 * database offers it only when told to (PAYMENTS_TEST_PROVIDER=1, e.g. e2e).
 */
export function testPaymentsAllowed(): boolean {
  const { STRIPE_SECRET_KEY, PAYMENTS_TEST_PROVIDER, NODE_ENV, DATABASE_URL } = config();
  if (STRIPE_SECRET_KEY) return false;
  return PAYMENTS_TEST_PROVIDER || NODE_ENV !== 'production' || isEmbeddedUrl(DATABASE_URL ?? '');
}

/** The provider new payments go through on this deployment now; null when none is configured. */
export function currentProviderName(): PaymentProviderName | null {
  if (config().STRIPE_SECRET_KEY) return 'stripe';
  return testPaymentsAllowed() ? 'test' : null;
}

export function paymentProvider(): PaymentProvider {
  const key = config().STRIPE_SECRET_KEY;
  if (key) return stripeProvider(key);
  if (testPaymentsAllowed()) return testProvider;
  logLine('error', 'payments.not_configured', { hint: 'set STRIPE_SECRET_KEY (or PAYMENTS_TEST_PROVIDER=1 for a test deployment)' });
  throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE');
}
