// Cancelling an event, and what follows for its orders. The cancellation
// itself is the event's update (lib/events, under the event's lock, one
// transaction); its pending orders are cancelled in that transaction (one
// statement: their pages stop offering to pay). Paid orders are refunded
// afterwards, each in a transaction of its own, by the refunds job's
// refund round (`refundOrdersOfCancelledEvents`): the event's status is the
// durable marker, so whoever cancels the event (the API, a script, SQL) and
// whatever crashes in between, the next round finds the orders still owed,
// and each order gets its one `event_cancelled` refund (refunds.ts checks it
// under the order's lock).
import type { Database, Tx } from '@/lib/db/pool';
import { afterCommit } from '@/lib/db/transaction';
import { describeError, logLine } from '@/lib/log';
import { cancelPendingOrdersOf } from '@/lib/tickets/orders';
import { ordersOwedByCancelledEvents, refundOrderOfCancelledEvent } from '@/lib/tickets/refunds';
import { wakeRefunds } from '@/lib/jobs/wake';

/** In the cancellation's transaction: pending orders cancelled, and the refund round woken once it commits. */
export async function eventCancelled(tx: Tx, eventId: string): Promise<void> {
  await cancelPendingOrdersOf(tx, eventId);
  afterCommit(tx, wakeRefunds);
}

/**
 * One pass over the orders cancelled events still owe (up to `batch`): each
 * refunded (or cancelled) in its own transaction, so one order's failure
 * leaves the others done and is tried again next round. Returns how many
 * changed.
 */
export async function refundOrdersOfCancelledEvents(db: Database, batch = 100): Promise<number> {
  const owed = await ordersOwedByCancelledEvents(db, batch);
  let changed = 0;
  for (const orderId of owed) {
    try {
      const done = await db.transaction((tx) => refundOrderOfCancelledEvent(tx, orderId));
      if (done !== 'nothing') changed += 1;
    } catch (error) {
      logLine('warn', 'tickets.cancelled_event_refund_failed', { orderId, error: describeError(error).message });
    }
  }
  if (changed > 0) logLine('info', 'tickets.cancelled_event_orders', { count: changed });
  return changed;
}
