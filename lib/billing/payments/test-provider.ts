// The local test provider: no money moves. Its "session" is the checkout
// itself, paid (or abandoned) on the app's TEST page /billing/test-pay/<id>,
// which records a provider event through the same inbox as Stripe's webhook.
import type { PaymentProvider } from './provider';

export const TEST_SESSION_PREFIX = 'test_cs_';
export const TEST_ACCOUNT_PREFIX = 'test_acct_';

export const testProvider: PaymentProvider = {
  name: 'test',
  async createSession({ checkoutId, appOrigin, returnPath }) {
    const url = new URL(`/billing/test-pay/${checkoutId}`, appOrigin);
    // Where the page sends the payer afterwards, as Stripe's success_url would.
    if (returnPath !== '/billing') url.searchParams.set('next', returnPath);
    return { sessionId: `${TEST_SESSION_PREFIX}${checkoutId}`, url: url.toString() };
  },
  // A ticket order's test session is the order's own /o/<token>/pay page.
  async createOrderSession({ orderId, appOrigin, returnPath }) {
    return { sessionId: `${TEST_SESSION_PREFIX}${orderId}`, url: new URL(`${returnPath}/pay`, appOrigin).toString() };
  },
  async refund({ refundId, retries }) {
    return { providerRefundId: `test_re_${refundId}${retries > 0 ? `_${retries}` : ''}`, status: 'succeeded' };
  },
  async readRefund(providerRefundId) {
    return { providerRefundId, status: 'succeeded' };
  },
  // A simulated connected account: created unable to charge; its onboarding is one button on the Payouts page.
  async createAccount({ teamId }) {
    return { accountId: `${TEST_ACCOUNT_PREFIX}${teamId.replaceAll('-', '')}`, chargesEnabled: false, payoutsEnabled: false, detailsSubmitted: false, requirements: ['external_account', 'individual.verification.document'] };
  },
  async onboardingUrl({ appOrigin, returnPath }) {
    const url = new URL(returnPath, appOrigin);
    url.searchParams.set('onboarding', 'test');
    return url.toString();
  },
};
