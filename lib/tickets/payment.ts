// Opening an order's one payment session. Called by the order's payment page
// (/o/<token>/pay) outside any transaction, so no lock is held while the
// provider answers. One session per order, ever: the provider's idempotency
// key is derived from the order (`order-<id>`), so two tabs, a reload or a
// retry get the same session back, and the order stores it once (a trigger
// refuses to replace it).
import { and, eq, isNull } from 'drizzle-orm';
import { paymentProvider, paymentProviderNamed } from '@/lib/billing/payments/provider';
import type { Queryable } from '@/lib/db/pool';
import { orders } from '@/lib/db/schema';
import { itemsOf, orderManageUrl, readOrder, readOrderByToken } from './order-row';

export type OrderPayment =
  | { state: 'redirect'; url: string }
  | { state: 'test'; orderId: string; total: number; currency: string }
  | { state: 'closed' };

export async function openOrderPayment(db: Queryable, token: string, appOrigin: string): Promise<OrderPayment | null> {
  const order = await readOrderByToken(db, token);
  if (!order) return null;
  if (order.status !== 'pending_payment' || order.holdExpiresAt.getTime() <= Date.now()) return { state: 'closed' };
  const provider = order.provider ? paymentProviderNamed(order.provider) : paymentProvider();
  const answer = (url: string): OrderPayment =>
    provider.name === 'test' ? { state: 'test', orderId: order.id, total: order.totalAmount, currency: order.currency } : { state: 'redirect', url };
  if (order.providerSessionId && order.paymentUrl) return answer(order.paymentUrl);
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
