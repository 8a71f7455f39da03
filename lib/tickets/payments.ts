// The owner of payments: an order's one payment row (append-only, written
// once, when the provider says the order was paid) and opening the order's
// one payment session. The session is opened by the order's payment page
// (/o/<token>/pay) outside any transaction, so no lock is held while the
// provider answers. One session per order, ever: the provider's idempotency
// key is derived from the order (`order-<id>`), so two tabs, a reload or a
// retry get the same session back, and the order stores it once (a trigger
// refuses to replace it). Its expiry is the hold's end, grown once when the
// page is opened late (docs/api.md, "Paid tickets").
import { eq, inArray } from 'drizzle-orm';
import type { PaymentEvent } from '@/lib/billing/purchases';
import { paymentProvider, paymentProviderNamed, testPaymentsAllowed } from '@/lib/billing/payments/provider';
import { TEST_SESSION_PREFIX } from '@/lib/billing/payments/test-provider';
import type { Queryable, Tx } from '@/lib/db/pool';
import { payments, type OrderRow, type PaymentProviderName, type PaymentRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { chargedUnit, extendHoldForSession, isPayable, itemsOfOrder, readOrder, readOrderByToken, storeOrderSession } from './orders';
import { orderManageUrl } from './order-token';
import type { PaymentDto } from './schemas';

export async function readPayment(db: Queryable, id: string): Promise<PaymentRow | null> {
  const rows = await db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function paymentOf(db: Queryable, orderId: string): Promise<PaymentRow | null> {
  const rows = await db.select().from(payments).where(eq(payments.orderId, orderId)).limit(1);
  return rows[0] ?? null;
}

export async function paymentsOf(db: Queryable, orderIds: string[]): Promise<PaymentRow[]> {
  if (orderIds.length === 0) return [];
  return db.select().from(payments).where(inArray(payments.orderId, orderIds));
}

/** The payment a provider's refund or charge names (Stripe: the PaymentIntent). */
export async function paymentByProviderId(db: Queryable, providerPaymentId: string): Promise<PaymentRow | null> {
  const rows = await db.select().from(payments).where(eq(payments.providerPaymentId, providerPaymentId)).limit(1);
  return rows[0] ?? null;
}

/**
 * Records the order's payment; null when it has one already (payments_order_key:
 * a second session's money for the same order is not a second payment).
 */
export async function recordPayment(
  tx: Tx,
  payment: { orderId: string; provider: PaymentProviderName; providerPaymentId: string | null; amount: number; currency: string },
): Promise<PaymentRow | null> {
  const [row] = await tx.insert(payments).values(payment).onConflictDoNothing({ target: payments.orderId }).returning();
  return row ?? null;
}

export function toPaymentDto(row: PaymentRow): PaymentDto {
  return { id: row.id, amount: { amount: row.amount, currency: row.currency }, provider: row.provider, createdAt: row.createdAt.toISOString() };
}

export type OrderPayment =
  | { state: 'redirect'; url: string }
  | { state: 'test'; orderId: string; total: number; currency: string }
  | { state: 'closed' };

/**
 * Stripe refuses a Checkout Session whose `expires_at` is less than 30
 * minutes ahead; 20 seconds more cover the request's way to Stripe's check
 * (a hold is 30 minutes and 30 seconds: a page opened at once needs no
 * extension). The local test provider has no such rule.
 */
const SESSION_MIN_AHEAD_MS = { stripe: 30 * 60_000 + 20_000, test: 0 } as const;

export async function openOrderPayment(db: Queryable, token: string, appOrigin: string): Promise<OrderPayment | null> {
  const found = await readOrderByToken(db, token);
  if (!found) return null;
  if (!isPayable(found)) return { state: 'closed' };
  const provider = found.provider ? paymentProviderNamed(found.provider) : paymentProvider();
  const answer = (url: string): OrderPayment =>
    provider.name === 'test' ? { state: 'test', orderId: found.id, total: found.totalAmount, currency: found.currency } : { state: 'redirect', url };
  if (found.providerSessionId && found.paymentUrl) return answer(found.paymentUrl);
  // A page opened late (from the receipt mail, a minute later) must still open a session the provider
  // accepts: the hold grows, once, to the session's shortest life. Every tab then reads the same hold
  // end and asks for the same expiry (the provider's idempotency key allows no other parameters).
  const order = await extendHoldForSession(db, found, SESSION_MIN_AHEAD_MS[provider.name]);
  if (!order || !isPayable(order)) return { state: 'closed' };
  const items = await itemsOfOrder(db, order.id);
  const session = await provider.createOrderSession({
    orderId: order.id,
    // The lines are what is charged: a code's discount is taken off each ticket's price.
    lines: items.map((item) => ({ name: item.name, quantity: item.quantity, unitAmount: chargedUnit(item) })),
    currency: order.currency,
    expiresAt: order.holdExpiresAt,
    appOrigin,
    returnPath: orderManageUrl(token),
    // Frozen on the order when it was placed: a destination charge with the platform's fee, or none.
    destination: order.destinationAccount ? { account: order.destinationAccount, applicationFee: order.feeAmount } : null,
  });
  // The test provider's URL is this page itself (it holds the token): not stored.
  const stored = provider.name === 'test' ? null : session.url;
  await storeOrderSession(db, order.id, { provider: provider.name, sessionId: session.sessionId, paymentUrl: stored });
  const after = await readOrder(db, order.id);
  return answer(after?.paymentUrl ?? session.url);
}

/**
 * The order's TEST payment page (/o/<token>/pay with the local test
 * provider): paying or abandoning is the provider's event the inbox records,
 * one event id per order and outcome. NOT_FOUND unless the order's session is
 * the test provider's.
 */
export async function testOrderEvent(tx: Tx, input: { token: string; outcome: 'paid' | 'expired' }): Promise<{ event: PaymentEvent; order: OrderRow }> {
  const order = testPaymentsAllowed() ? await readOrderByToken(tx, input.token) : null;
  if (order?.provider !== 'test' || order.providerSessionId !== `${TEST_SESSION_PREFIX}${order.id}`) throw new AppError('NOT_FOUND');
  return {
    order,
    event: {
      provider: 'test',
      id: `test_evt_order_${order.id}_${input.outcome}`,
      type: input.outcome === 'paid' ? 'checkout.session.completed' : 'checkout.session.expired',
      session: {
        id: order.providerSessionId,
        checkoutId: order.id,
        orderId: order.id,
        paid: input.outcome === 'paid',
        amountTotal: order.totalAmount,
        currency: order.currency,
        paymentId: `test_pi_${order.id}`,
      },
    },
  };
}
