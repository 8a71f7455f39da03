// The mail worker inside the app's server process (instrumentation.ts), so
// `npm run dev` and `npm start` deliver mail with nothing else to run. It
// shares the process's pool (on the embedded PGlite, the one connection) and
// is woken right after a commit that wrote outbox rows (lib/outbox/wake.ts).
// OUTBOX_WORKER=off leaves delivery to `npm run worker` processes. It stops with the process
// (no signal handler of its own): a message it was sending is sent again by
// whichever worker claims it after the lease, with the same Message-ID.
import { getDb } from '@/lib/db/pool';
import { logLine } from '@/lib/log';
import { outboxConfig } from '@/lib/outbox/config';
import type { OutboxWorker } from '@/lib/outbox/worker';
import { startMailWorker } from './worker';

const key = Symbol.for('event-app.outbox.worker');
const g = globalThis as typeof globalThis & { [key]?: OutboxWorker | null };

export function installOutboxWorker(): void {
  if (g[key] !== undefined) return; // once per process, whatever reloads
  g[key] = null;
  if (process.env.OUTBOX_WORKER === 'off') {
    logLine('info', 'outbox.worker_off', { reason: 'OUTBOX_WORKER=off' });
    return;
  }
  const config = outboxConfig();
  if (!config.smtpUrl) {
    logLine('warn', 'outbox.worker_off', { reason: 'SMTP_URL is not set: mail stays in the outbox until a worker with SMTP_URL runs' });
    return;
  }
  const worker = startMailWorker({ db: getDb(), config, nudgeable: true });
  g[key] = worker;
}
