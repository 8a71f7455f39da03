// The order's TEST payment page (/o/<token>/pay with the local test
// provider): paying or abandoning records a provider event through the same
// inbox as Stripe's webhook, one event id per order and outcome.
import { recordPaymentEvent } from '@/lib/billing/purchases';
import { testPaymentsAllowed } from '@/lib/billing/payments/provider';
import { TEST_SESSION_PREFIX } from '@/lib/billing/payments/test-provider';
import type { Tx } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';
import { readOrder, readOrderByToken } from './order-row';
import { applyOrderPaymentEvent } from './service';

export async function settleTestOrder(tx: Tx, input: { token: string; outcome: 'paid' | 'expired' }): Promise<{ status: string; outcome: string }> {
  const order = testPaymentsAllowed() ? await readOrderByToken(tx, input.token) : null;
  if (order?.provider !== 'test' || order.providerSessionId !== `${TEST_SESSION_PREFIX}${order.id}`) throw new AppError('NOT_FOUND');
  const outcome = await recordPaymentEvent(
    tx,
    {
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
    applyOrderPaymentEvent,
  );
  const after = await readOrder(tx, order.id);
  return { status: after?.status ?? order.status, outcome };
}
