// The refunds job: refunds rows are the outbox of provider refunds. A
// refund is written (pending) in the transaction that decides it; the runner
// (lib/jobs/runner.ts) claims due pending refunds (FOR UPDATE SKIP LOCKED and a lease, as the mail
// outbox does), asks the provider with the idempotency key `refund-<id>` and
// records the answer. A process killed between the commit and the provider's
// answer leaves the row pending; after the lease another round asks again with
// the same key, and the provider answers the refund it already made: money
// goes back once. Once the provider has made it (its id stored), a pending
// refund is read back every minute (GET), never created again. Never given
// up: a refund that keeps erroring stays pending with its last error (alert
// on old pending refunds), unless the provider says failed.
import { paymentProviderNamed, testPaymentsAllowed } from '@/lib/billing/payments/provider';
import type { PaymentProviderName } from '@/lib/enums';
import type { Database } from '@/lib/db/pool';
import type { RefundRow } from '@/lib/db/schema';
import { describeError, logLine } from '@/lib/log';
import { loadServerKeys } from '@/lib/checkin/signing-key';
import { refundOrdersOfCancelledEvents } from '@/lib/flows/cancel-event';
import { config } from '@/lib/config';
import { backoffMs } from '@/lib/jobs/backoff';
import type { Job } from '@/lib/jobs/job';
import { workerId } from '@/lib/jobs/runner';
import { refundLeaseSeconds, refundPollSeconds, sweepIntervalMs } from './config';
import { readOrder } from './orders';
import { readPayment } from './payments';
import { claimDueRefunds, markRefundRetry, markRefundSent } from './refunds';

const RETRY = { baseMs: 5000, maxMs: 3_600_000 };


/**
 * Fault injection for the reliability suite (as lib/outbox/faults.ts): a pause
 * after the provider answered and before the answer is recorded, so a test can
 * kill -9 the process exactly there. Only with ENABLE_FAULT_INJECTION=1.
 */
async function faultAfterProviderRefund(): Promise<void> {
  const env = config();
  if (!env.ENABLE_FAULT_INJECTION) return;
  const ms = env.FAULT_DELAY_AFTER_REFUND_MS;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Sends a claimed refund to the provider, once: a refund the provider made
 * (its id stored) is read back (GET), never created again, because the
 * provider keeps an idempotency key only about a day and the next create
 * after that would refund twice. Only a refund with no provider id yet is
 * created (again, after a crash, under the same key).
 */
async function sendRefund(db: Database, refund: RefundRow): Promise<'succeeded' | 'pending' | 'failed' | 'retry'> {
  const payment = await readPayment(db, refund.paymentId);
  const order = payment ? await readOrder(db, payment.orderId) : null;
  if (!payment || !order) return 'retry';
  try {
    const provider = paymentProviderNamed(payment.provider);
    const answer = refund.providerRefundId
      ? await provider.readRefund(refund.providerRefundId)
      : await provider.refund({
          refundId: refund.id,
          retries: refund.retries,
          providerPaymentId: payment.providerPaymentId,
          amount: refund.amount,
          currency: payment.currency,
          // A destination charge's refund reverses the transfer and refunds the fee in proportion.
          reverseTransfer: order.destinationAccount !== null,
        });
    await faultAfterProviderRefund();
    // Settled, or still pending at the provider: then a webhook (refund.updated, charge.refunded) or the next read settles it.
    await markRefundSent(db, refund, answer, refundPollSeconds());
    logLine(answer.status === 'failed' ? 'error' : 'info', 'tickets.refund_sent', {
      refundId: refund.id,
      status: answer.status,
      read: refund.providerRefundId !== null,
      attempt: refund.attempts + 1,
    });
    return answer.status;
  } catch (error) {
    // 5 s doubled per attempt (the claim counted this one), at most an hour.
    const backoff = backoffMs(Math.min(refund.attempts, 10) + 1, RETRY) / 1000;
    await markRefundRetry(db, refund, describeError(error).message, backoff);
    logLine('warn', 'tickets.refund_retry', { refundId: refund.id, attempt: refund.attempts + 1, error: describeError(error).message });
    return 'retry';
  }
}

/** The providers this process can send refunds through: Stripe with its key, the TEST provider where test payments are allowed. */
function reachableProviders(): PaymentProviderName[] {
  return [...(config().STRIPE_SECRET_KEY ? (['stripe'] as const) : []), ...(testPaymentsAllowed() ? (['test'] as const) : [])];
}

/** The most one claim takes where a caller drains refunds (the cron round); the runner, with one slot, claims one at a time. */
export const REFUNDS_BATCH = 20;

/** The refunds job of the runner: claim due refunds, send each to the provider, record its answer. */
export function refundsJob(db: Database): Job<RefundRow> {
  return {
    name: 'refunds',
    log: 'tickets.refunds',
    async claim(_workerId, limit) {
      // A cancelled event's refunds are written first (one transaction per order), then sent with the rest.
      await refundOrdersOfCancelledEvents(db);
      return claimDueRefunds(db, limit, refundLeaseSeconds(), reachableProviders());
    },
    async run(refund) {
      // A failed refund's mail carries the order's link: the keys are read before any transaction (lib/checkin/signing-key.ts).
      await loadServerKeys();
      await sendRefund(db, refund);
    },
    concurrency: 1,
    batch: REFUNDS_BATCH,
    claimAt: 1,
    pollMs: sweepIntervalMs(),
  };
}

/** One claim of the refunds job, run here: claims due refunds and sends each; returns how many it sent. */
export async function sendDueRefunds(db: Database, batch = REFUNDS_BATCH): Promise<number> {
  const job = refundsJob(db);
  const due = await job.claim(workerId(), batch);
  for (const refund of due) await job.run(refund);
  return due.length;
}
