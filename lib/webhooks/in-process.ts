// The webhook worker inside the app's server process (instrumentation.ts),
// beside the mail worker, so `npm start` delivers webhooks with nothing else
// to run. OUTBOX_WORKER=off (or WEBHOOK_WORKER=off) leaves delivery to
// `npm run webhook-worker` processes. Unlike mail it needs no configuration.
import { getDb } from '@/lib/db/pool';
import { logLine } from '@/lib/log';
import { startWebhookWorker, type WebhookWorker } from './worker';

const key = Symbol.for('event-app.webhooks.worker');
const g = globalThis as typeof globalThis & { [key]?: WebhookWorker | null };

export function installWebhookWorker(): void {
  if (g[key] !== undefined) return;
  g[key] = null;
  if (process.env.OUTBOX_WORKER === 'off' || process.env.WEBHOOK_WORKER === 'off') {
    logLine('info', 'webhooks.worker_off', { reason: 'OUTBOX_WORKER=off or WEBHOOK_WORKER=off' });
    return;
  }
  g[key] = startWebhookWorker({ db: getDb(), nudgeable: true });
}
