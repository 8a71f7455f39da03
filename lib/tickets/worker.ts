// The ticket worker: every round it expires the holds that ran out (even if
// the provider never calls back) and sends due refunds. Started with the app
// (instrumentation.ts → lib/tickets/in-process.ts) as the mail worker is;
// `POST /api/cron/tickets` runs one round for serverless hosts. Any number
// of workers may run: both steps claim rows with SKIP LOCKED.
import { getDb, type Database } from '@/lib/db/pool';
import { describeError, logLine } from '@/lib/log';
import { sweepIntervalMs } from './config';
import { sendDueRefunds } from './refund-worker';
import { sweepExpiredHolds } from './orders';
import { setRefundWake } from './wake';

export async function runTicketRound(db: Database = getDb()): Promise<{ expired: number; refunds: number }> {
  let expired = 0;
  for (;;) {
    const n = await db.transaction((tx) => sweepExpiredHolds(tx));
    expired += n;
    if (n < 100) break;
  }
  let sent = 0;
  for (;;) {
    const n = await sendDueRefunds(db);
    sent += n;
    if (n < 20) break;
  }
  return { expired, refunds: sent };
}

export type TicketWorker = { stop(): Promise<void>; wake(): void };

export function startTicketWorker(db: Database, options: { intervalMs?: number; nudgeable?: boolean } = {}): TicketWorker {
  const interval = options.intervalMs ?? sweepIntervalMs();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  const round = async () => {
    try {
      await runTicketRound(db);
    } catch (error) {
      logLine('warn', 'tickets.round_failed', { error: describeError(error).message });
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = round().finally(() => {
      running = null;
      if (again) {
        again = false;
        kick();
      } else if (!stopped) timer = setTimeout(kick, interval);
    });
  };
  if (options.nudgeable) setRefundWake(kick);
  timer = setTimeout(kick, 0);
  return {
    wake: kick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      if (options.nudgeable) setRefundWake(undefined);
      await running;
    },
  };
}
