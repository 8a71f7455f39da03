// The payment inbox: every provider event (Stripe's webhook, the test payment
// pages) is recorded once and dispatched here, by what it is about, to the
// one owner that applies it, in one transaction with its inbox row
// (`payment_events`' unique provider event id: a redelivery changes nothing):
//
//   credits  a checkout session of a credit purchase   lib/billing/purchases.ts   applyCheckoutEvent
//   orders   a checkout session of a ticket order      lib/tickets/payment-events.ts applyOrderSessionEvent
//   refunds  a refund's or a refunded charge's news    lib/tickets/refunds.ts     applyRefundEvent, applyChargeEvent
//   accounts a connected account's state                lib/payouts/accounts.ts    applyAccountEvent
//
// An event is identified by its provider, its id AND the connected account it
// came from (Connect events name one; the platform's own name none), so a
// platform event and a connected account's with the same id never collide.
import {
  applyCheckoutEvent,
  checkoutOutcomeLevel,
  closeInboxRow,
  fromStripeEvent,
  openInboxRow,
  testCheckoutEvent,
  findOwnCheckout,
  type CheckoutView,
  type PaymentEvent,
} from '@/lib/billing/purchases';
import { verifyStripeEvent } from '@/lib/billing/payments/stripe';
import { getDb, type Tx } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { logLine } from '@/lib/log';
import { readOrder } from '@/lib/tickets/orders';
import { applyOrderSessionEvent } from '@/lib/tickets/payment-events';
import { testOrderEvent } from '@/lib/tickets/payments';
import { applyChargeEvent, applyRefundEvent } from '@/lib/tickets/refunds';
import { applyAccountEvent, testOnboardedState } from '@/lib/payouts/accounts';

type Applied = { outcome: string; checkoutId?: string | null; orderId?: string | null };

const INBOX = {
  accounts: async (tx: Tx, event: PaymentEvent): Promise<Applied> => {
    if (!event.accountUpdate) return { outcome: 'ignored' };
    const applied = await applyAccountEvent(tx, { provider: event.provider, ...event.accountUpdate });
    return { outcome: applied.outcome };
  },
  credits: applyCheckoutEvent,
  orders: applyOrderSessionEvent,
  refunds: (tx: Tx, event: PaymentEvent): Promise<Applied> =>
    event.refund ? applyRefundEvent(tx, event.refund) : applyChargeEvent(tx, event.charge ?? { paymentId: null, refunds: null }),
} satisfies Record<string, (tx: Tx, event: PaymentEvent) => Promise<Applied>>;

/** What the event is about: a refund or a charge's refunds, else the order or the credit checkout its session names. */
function inboxOf(event: PaymentEvent): keyof typeof INBOX {
  if (event.accountUpdate) return 'accounts';
  if (event.refund || event.charge) return 'refunds';
  if (event.session?.orderId) return 'orders';
  return 'credits';
}

/**
 * Records the event in the inbox and applies it, in the caller's transaction.
 * A second delivery of the same event id finds the inbox row (waiting for a
 * concurrent first delivery to commit or roll back) and changes nothing.
 */
export async function recordPaymentEvent(tx: Tx, event: PaymentEvent): Promise<string> {
  const inboxId = await openInboxRow(tx, event);
  if (!inboxId) {
    logLine('info', 'payments.event_duplicate', { provider: event.provider, eventId: event.id, type: event.type });
    return 'duplicate';
  }
  const inbox = inboxOf(event);
  const applied: Applied = await INBOX[inbox](tx, event);
  await closeInboxRow(tx, inboxId, applied);
  logLine(inbox === 'credits' ? checkoutOutcomeLevel(applied.outcome) : 'info', 'payments.event', {
    provider: event.provider,
    eventId: event.id,
    type: event.type,
    outcome: applied.outcome,
    ...(event.account && { account: event.account }),
    ...(inbox === 'credits' ? { checkoutId: applied.checkoutId ?? null } : { orderId: applied.orderId ?? null }),
  });
  return applied.outcome;
}

/**
 * POST /api/webhooks/stripe: verifies the signature over the raw body (nothing
 * is written when it fails), then records and applies the event in one
 * transaction, committed before the webhook answers.
 */
export async function receiveStripeWebhook(rawBody: string, signature: string | null, endpoint: 'platform' | 'connect' = 'platform'): Promise<string> {
  const event = fromStripeEvent(verifyStripeEvent(rawBody, signature, endpoint));
  return getDb().transaction((tx) => recordPaymentEvent(tx, event));
}

/** The test provider's one-button onboarding (the Payouts page): the account's `account.updated`, through the same inbox. */
export async function settleTestOnboarding(tx: Tx, teamId: string): Promise<string> {
  const onboarded = await testOnboardedState(tx, teamId);
  return recordPaymentEvent(tx, {
    provider: 'test',
    id: onboarded.eventId,
    type: 'account.updated',
    session: null,
    account: onboarded.state.accountId,
    accountUpdate: { created: onboarded.created, state: onboarded.state },
  });
}

/** The credit checkout's TEST payment page: paid or abandoned through the same inbox as the provider's webhook. */
export async function settleTestCheckout(
  tx: Tx,
  input: { teamId: string; checkoutId: string; outcome: 'paid' | 'expired' },
): Promise<{ checkout: CheckoutView; outcome: string }> {
  const outcome = await recordPaymentEvent(tx, await testCheckoutEvent(tx, input));
  const checkout = await findOwnCheckout(tx, input.teamId, input.checkoutId);
  if (!checkout) throw new AppError('NOT_FOUND');
  return { checkout, outcome };
}

/** The order's TEST payment page (/o/<token>/pay with the local test provider): paid or abandoned through the same inbox. */
export async function settleTestOrder(tx: Tx, input: { token: string; outcome: 'paid' | 'expired' }): Promise<{ status: string; outcome: string }> {
  const { event, order } = await testOrderEvent(tx, input);
  const outcome = await recordPaymentEvent(tx, event);
  const after = await readOrder(tx, order.id);
  return { status: after?.status ?? order.status, outcome };
}
