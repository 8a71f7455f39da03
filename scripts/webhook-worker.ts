// npm run webhook-worker: the webhook worker alone (the app also runs one in
// its own process unless OUTBOX_WORKER=off or WEBHOOK_WORKER=off). Needs
// DATABASE_URL; any number may run against one database (FOR UPDATE SKIP
// LOCKED + a lease). SIGTERM / Ctrl-C finish the deliveries in flight, then exit.
import { configOrExit } from '../lib/config';
import { createDatabase, createPool, databaseUrl } from '../lib/db/pool';
import { isEmbeddedUrl } from '../lib/db/embedded-url';
import { webhookConfig } from '../lib/webhooks/config';
import { startWebhookWorker } from '../lib/webhooks/worker';

// A bad variable stops the worker here, named, before it claims anything.
const settings = configOrExit();
let url: string;
try {
  url = databaseUrl();
} catch {
  console.error('webhook-worker: DATABASE_URL is not set (the embedded database of npm run dev already has its worker inside the app)');
  process.exit(2);
}
if (isEmbeddedUrl(url)) {
  console.error("webhook-worker: the embedded database takes one connection, the app's; its worker runs inside the app");
  process.exit(2);
}
const config = webhookConfig();
const pool = createPool(url, settings.DATABASE_POOL_MAX ?? 4);
const worker = startWebhookWorker({ db: createDatabase(pool), config });
console.log(`Webhook worker ${worker.id}: timeout ${config.timeoutMs} ms, ${config.concurrency} at once. Stop with Ctrl-C.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
