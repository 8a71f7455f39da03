// The ticket worker inside the app's server process (instrumentation.ts), as
// the mail worker is: holds expire and refunds go out with nothing else to
// run. TICKETS_WORKER=off leaves it to `POST /api/cron/tickets`.
import { getDb } from '@/lib/db/pool';
import { logLine } from '@/lib/log';
import { startTicketWorker, type TicketWorker } from './worker';

const key = Symbol.for('event-app.tickets.worker');
const g = globalThis as typeof globalThis & { [key]?: TicketWorker | null };

export function installTicketWorker(): void {
  if (g[key] !== undefined) return;
  g[key] = null;
  if (process.env.TICKETS_WORKER === 'off') {
    logLine('info', 'tickets.worker_off', { reason: 'TICKETS_WORKER=off' });
    return;
  }
  g[key] = startTicketWorker(getDb(), { nudgeable: true });
}
