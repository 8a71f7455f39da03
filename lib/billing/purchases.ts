// Buying credits: checkouts (one per attempt) and the payment provider's
// events, recorded in an inbox. A paid checkout grants its credits to its
// owner in the transaction that records the event, so however often an event
// is delivered, in whatever order, each checkout grants at most once (the
// inbox's unique event id, the checkout's open → paid step under its row lock,
// and the ledger's unique checkout_id all say so).
import { and, desc, eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import type { Queryable, Tx } from '@/lib/db/pool';
import { checkouts, paymentEvents, type CheckoutRow, type CheckoutStatus, type PaymentProviderName } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';
import { logLine } from '@/lib/log';
import { grantCredits } from './credits';
import { findPack } from './packs';
import { paymentProvider, testPaymentsAllowed, type ProviderAccount } from './payments/provider';
import { accountAnswer } from './payments/stripe';
import { TEST_SESSION_PREFIX } from './payments/test-provider';

export const PURCHASE_REASON = 'purchase';

export type CheckoutView = {
  id: string;
  packId: string;
  credits: number;
  status: CheckoutStatus;
};

export type CheckoutSummary = CheckoutView & {
  price: { amount: number; currency: string };
  url: string | null;
  createdAt: string;
};


const view = (row: CheckoutRow): CheckoutView => ({ id: row.id, packId: row.packId, credits: row.credits, status: row.status });

const summary = (row: CheckoutRow): CheckoutSummary => ({
  ...view(row),
  price: { amount: row.amount, currency: row.currency },
  url: row.status === 'open' ? row.url : null,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Records a checkout for the pack and opens the provider's payment session for
 * it, inside the caller's transaction (the idempotency layer's: a replay
 * answers this checkout and opens nothing). Unknown pack: NOT_FOUND.
 */
export async function openCheckout(
  tx: Tx,
  input: { teamId: string; packId: string; appOrigin: string; returnTo?: string | undefined },
): Promise<{ id: string; url: string; status: 'open' }> {
  const pack = findPack(input.packId);
  if (!pack) throw new AppError('NOT_FOUND', { details: { packId: input.packId } });
  const provider = paymentProvider();
  const [row] = await tx
    .insert(checkouts)
    .values({
      teamId: input.teamId,
      packId: pack.id,
      credits: pack.credits,
      amount: pack.price.amount,
      currency: pack.price.currency,
      provider: provider.name,
    })
    .returning({ id: checkouts.id });
  if (!row) throw new Error('checkout insert returned no row');
  const session = await provider.createSession({
    checkoutId: row.id,
    credits: pack.credits,
    amount: pack.price.amount,
    currency: pack.price.currency,
    appOrigin: input.appOrigin,
    returnPath: input.returnTo ? `/billing?${new URLSearchParams({ return: input.returnTo })}` : '/billing',
  });
  await tx
    .update(checkouts)
    .set({ providerSessionId: session.sessionId, url: session.url, updatedAt: sql`now()` })
    .where(eq(checkouts.id, row.id));
  logLine('info', 'payments.checkout_opened', { checkoutId: row.id, provider: provider.name, packId: pack.id });
  return { id: row.id, url: session.url, status: 'open' };
}

async function ownCheckoutRow(db: Queryable, teamId: string, id: string): Promise<CheckoutRow | null> {
  if (!isUuid(id)) return null;
  const rows = await db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.id, id), eq(checkouts.teamId, teamId)))
    .limit(1);
  return rows[0] ?? null;
}

/** The organiser's own checkout, or null (someone else's is as good as missing). */
export async function findOwnCheckout(db: Queryable, teamId: string, id: string): Promise<CheckoutView | null> {
  const row = await ownCheckoutRow(db, teamId, id);
  return row ? view(row) : null;
}

/** The organiser's checkout with its price and, while open, its payment URL (the test page reads this). */
export async function findOwnCheckoutSummary(db: Queryable, teamId: string, id: string): Promise<CheckoutSummary | null> {
  const row = await ownCheckoutRow(db, teamId, id);
  return row ? summary(row) : null;
}

/** The organiser's checkouts, newest first: the purchase history. */
export async function listOwnCheckouts(db: Queryable, teamId: string, limit = 20): Promise<CheckoutSummary[]> {
  const rows = await db
    .select()
    .from(checkouts)
    .where(eq(checkouts.teamId, teamId))
    .orderBy(desc(checkouts.createdAt), desc(checkouts.id))
    .limit(limit);
  return rows.map(summary);
}

// ---- the inbox -------------------------------------------------------------

/** A provider's event, reduced to what the inbox acts on. */
export type PaymentEvent = {
  provider: PaymentProviderName;
  /** The provider's event id: the inbox's key. */
  id: string;
  type: string;
  /** For checkout session events: the session and what it says. */
  session: {
    id: string;
    checkoutId: string | null;
    paid: boolean;
    amountTotal: number | null;
    currency: string | null;
    /** A ticket order's session: its metadata names the order. */
    orderId?: string | null;
    /** The payment a refund will name (Stripe: the PaymentIntent). */
    paymentId?: string | null;
  } | null;
  /** For refund events: the provider's refund, our refund id from its metadata, its status. */
  refund?: ProviderRefundEvent | null;
  /** `charge.refunded`: the charge's payment and, when the API version lists them, its refunds. */
  charge?: { paymentId: string | null; refunds: ProviderRefundEvent[] | null } | null;
  /**
   * The connected account a Connect event came from (Stripe's `account`); null or absent for the
   * platform's own. Part of the event's identity in the inbox, with its id.
   */
  account?: string | null;
  /** `account.updated`: the account as it was at `created` (seconds). */
  accountUpdate?: { created: number; state: ProviderAccount } | null;
};

/** A refund as a provider's event names it: the provider's id, ours (its metadata), the provider's status word. */
export type ProviderRefundEvent = { id: string; refundId: string | null; status: string };

export type PaymentOutcome =
  | 'duplicate'
  | 'granted'
  | 'expired'
  | 'ignored'
  | 'not_paid'
  | 'already_paid'
  | 'already_expired'
  | 'paid_after_expiry'
  | 'unknown_checkout'
  | 'mismatch';

const PAID_TYPES = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded']);
const EXPIRED_TYPE = 'checkout.session.expired';

/**
 * The inbox row for a provider's event, inserted first in the transaction
 * that applies it; null for a delivery seen before (a concurrent first
 * delivery is waited for on the unique index, then found).
 */
export async function openInboxRow(tx: Tx, event: PaymentEvent): Promise<number | null> {
  const [inbox] = await tx
    .insert(paymentEvents)
    .values({ provider: event.provider, account: event.account ?? '', providerEventId: event.id, type: event.type, outcome: 'received' })
    .onConflictDoNothing()
    .returning({ id: paymentEvents.id });
  return inbox?.id ?? null;
}

/** What the event did, on its inbox row: the outcome, and the checkout or order it was about. */
export async function closeInboxRow(tx: Tx, id: number, applied: { outcome: string; checkoutId?: string | null; orderId?: string | null }): Promise<void> {
  await tx
    .update(paymentEvents)
    .set({ outcome: applied.outcome, ...(applied.checkoutId !== undefined && { checkoutId: applied.checkoutId }), ...(applied.orderId !== undefined && { orderId: applied.orderId }) })
    .where(eq(paymentEvents.id, id));
}

/** How loudly a credit checkout's outcome is logged: money taken for nothing is an error. */
export function checkoutOutcomeLevel(outcome: string): 'error' | 'warn' | 'info' {
  return outcome === 'paid_after_expiry' || outcome === 'mismatch' ? 'error' : outcome === 'unknown_checkout' ? 'warn' : 'info';
}

/** A checkout session event about a credit purchase: the checkout paid (its credits granted, once) or expired. */
export async function applyCheckoutEvent(tx: Tx, event: PaymentEvent): Promise<{ outcome: PaymentOutcome; checkoutId: string | null }> {
  const paidType = PAID_TYPES.has(event.type);
  if (!event.session || (!paidType && event.type !== EXPIRED_TYPE)) return { outcome: 'ignored', checkoutId: null };
  const { session } = event;
  const id = session.checkoutId;
  const rows =
    isUuid(id)
      ? await tx
          .select()
          .from(checkouts)
          .where(and(eq(checkouts.id, id), eq(checkouts.provider, event.provider)))
          .for('update')
          .limit(1)
      : [];
  const checkout = rows[0];
  if (!checkout) return { outcome: 'unknown_checkout', checkoutId: null };
  const found = { checkoutId: checkout.id };
  // The session must be the one this checkout opened, for the price it froze.
  if (checkout.providerSessionId !== session.id) return { outcome: 'mismatch', ...found };

  if (event.type === EXPIRED_TYPE) {
    if (checkout.status !== 'open') return { outcome: checkout.status === 'paid' ? 'already_paid' : 'already_expired', ...found };
    await tx
      .update(checkouts)
      .set({ status: 'expired', expiredAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(checkouts.id, checkout.id));
    return { outcome: 'expired', ...found };
  }

  if (!session.paid) return { outcome: 'not_paid', ...found };
  if (session.amountTotal !== checkout.amount || session.currency !== checkout.currency) return { outcome: 'mismatch', ...found };
  if (checkout.status === 'paid') return { outcome: 'already_paid', ...found };
  // Money was taken for a checkout that had already expired: acknowledged and
  // logged as an error for an operator to refund; never granted.
  if (checkout.status === 'expired') return { outcome: 'paid_after_expiry', ...found };
  await tx
    .update(checkouts)
    .set({ status: 'paid', paidAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(checkouts.id, checkout.id));
  await grantCredits(tx, { teamId: checkout.teamId, amount: checkout.credits, reason: PURCHASE_REASON, checkoutId: checkout.id });
  return { outcome: 'granted', ...found };
}

function refundOf(r: Stripe.Refund): ProviderRefundEvent {
  return { id: r.id, refundId: r.metadata?.refund_id ?? null, status: r.status ?? 'pending' };
}

/** A verified Stripe event as the inbox sees it, with the connected account it came from (Connect events name one). */
export function fromStripeEvent(event: Stripe.Event): PaymentEvent {
  return { ...stripeEventBody(event), account: event.account ?? null };
}

function stripeEventBody(event: Stripe.Event): PaymentEvent {
  switch (event.type) {
    case 'account.updated':
      return { provider: 'stripe', id: event.id, type: event.type, session: null, accountUpdate: { created: event.created, state: accountAnswer(event.data.object) } };
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired': {
      const s = event.data.object;
      return {
        provider: 'stripe',
        id: event.id,
        type: event.type,
        session: {
          id: s.id,
          checkoutId: s.client_reference_id,
          paid: s.payment_status === 'paid',
          amountTotal: s.amount_total,
          currency: s.currency,
          orderId: s.metadata?.order_id ?? null,
          paymentId: typeof s.payment_intent === 'string' ? s.payment_intent : (s.payment_intent?.id ?? null),
        },
      };
    }
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed': {
      const r = event.data.object;
      return { provider: 'stripe', id: event.id, type: event.type, session: null, refund: refundOf(r) };
    }
    case 'charge.refunded':
    case 'charge.refund.updated': {
      if (event.type === 'charge.refund.updated') {
        return { provider: 'stripe', id: event.id, type: event.type, session: null, refund: refundOf(event.data.object) };
      }
      const c = event.data.object;
      const paymentId = typeof c.payment_intent === 'string' ? c.payment_intent : (c.payment_intent?.id ?? null);
      // Charge.refunds is listed only when the account's API version includes it (before 2022-11-15) or it was expanded.
      const listed = c.refunds?.data;
      return { provider: 'stripe', id: event.id, type: event.type, session: null, charge: { paymentId, refunds: listed ? listed.map(refundOf) : null } };
    }
    default:
      return { provider: 'stripe', id: event.id, type: event.type, session: null };
  }
}

/**
 * The TEST payment page's buttons: the organiser's own open test checkout,
 * paid or abandoned, as the provider's event the inbox records (one event id
 * per checkout and outcome, so pressing twice changes nothing more).
 */
export async function testCheckoutEvent(tx: Tx, input: { teamId: string; checkoutId: string; outcome: 'paid' | 'expired' }): Promise<PaymentEvent> {
  const own = testPaymentsAllowed() ? await ownCheckoutRow(tx, input.teamId, input.checkoutId) : null;
  if (own?.provider !== 'test' || own.providerSessionId !== `${TEST_SESSION_PREFIX}${own.id}`) throw new AppError('NOT_FOUND');
  return {
    provider: 'test',
    id: `test_evt_${own.id}_${input.outcome}`,
    type: input.outcome === 'paid' ? 'checkout.session.completed' : EXPIRED_TYPE,
    session: { id: `${TEST_SESSION_PREFIX}${own.id}`, checkoutId: own.id, paid: input.outcome === 'paid', amountTotal: own.amount, currency: own.currency },
  };
}
