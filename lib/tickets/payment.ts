// Opening an order's one payment session. Called by the order's payment page
// (/o/<token>/pay) outside any transaction, so no lock is held while the
// provider answers. One session per order, ever: the provider's idempotency
// key is derived from the order (`order-<id>`), so two tabs, a reload or a
// retry get the same session back, and the order stores it once (a trigger
// refuses to replace it). Its expiry is the hold's end, grown once when the
// page is opened late (docs/api.md, "Paid tickets").
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { paymentProvider, paymentProviderNamed } from '@/lib/billing/payments/provider';
import type { Queryable } from '@/lib/db/pool';
import { orders, type OrderRow } from '@/lib/db/schema';
import { isPayable, itemsOf, orderManageUrl, readOrder, readOrderByToken } from './order-row';

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
  const items = (await itemsOf(db, [order.id])).get(order.id) ?? [];
  const session = await provider.createOrderSession({
    orderId: order.id,
    lines: items.map((item) => ({ name: item.name, quantity: item.quantity, unitAmount: item.unitAmount })),
    currency: order.currency,
    expiresAt: order.holdExpiresAt,
    appOrigin,
    returnPath: orderManageUrl(token),
  });
  // The test provider's URL is this page itself (it holds the token): not stored.
  const stored = provider.name === 'test' ? null : session.url;
  await db
    .update(orders)
    .set({ provider: provider.name, providerSessionId: session.sessionId, paymentUrl: stored })
    .where(and(eq(orders.id, order.id), isNull(orders.providerSessionId)));
  const after = await readOrder(db, order.id);
  return answer(after?.paymentUrl ?? session.url);
}

/**
 * The order as it stands after its hold was made to last at least `aheadMs`
 * from now, when it did not and had not grown before (orders_transition lets
 * a hold grow once, before the session). Null when the order is gone.
 */
async function extendHoldForSession(db: Queryable, order: OrderRow, aheadMs: number): Promise<OrderRow | null> {
  if (aheadMs <= 0 || order.holdExtendedAt !== null || order.holdExpiresAt.getTime() >= Date.now() + aheadMs) return order;
  await db
    .update(orders)
    .set({ holdExpiresAt: sql`now() + make_interval(secs => ${aheadMs / 1000})`, holdExtendedAt: sql`now()` })
    .where(
      and(
        eq(orders.id, order.id),
        eq(orders.status, 'pending_payment'),
        isNull(orders.holdExtendedAt),
        isNull(orders.providerSessionId),
        gt(orders.holdExpiresAt, sql`now()`),
        lt(orders.holdExpiresAt, sql`now() + make_interval(secs => ${aheadMs / 1000})`),
      ),
    );
  // Read back whatever happened: this tab's extension, another tab's, or none (the hold ran out meanwhile).
  return readOrder(db, order.id);
}
