// npm run worker: the mail worker alone (the app also runs one in its own
// process unless OUTBOX_WORKER=off). Needs DATABASE_URL and SMTP_URL; any
// number may run against one database (FOR UPDATE SKIP LOCKED + a lease).
// SIGTERM / Ctrl-C finish the messages in flight, then exit.
import { configOrExit } from '../lib/config';
import { createDatabase, createPool, databaseUrl } from '../lib/db/pool';
import { isEmbeddedUrl } from '../lib/db/embedded-url';
import { outboxConfig } from '../lib/outbox/config';
import { startMailWorker } from '../lib/mail/worker';

// A bad variable stops the worker here, named, before it claims anything.
const settings = configOrExit();
let url: string;
try {
  url = databaseUrl();
} catch {
  console.error('worker: DATABASE_URL is not set (the embedded database of npm run dev already has its worker inside the app)');
  process.exit(2);
}
if (isEmbeddedUrl(url)) {
  console.error('worker: the embedded database takes one connection, the app\'s; its worker runs inside the app');
  process.exit(2);
}
const config = outboxConfig();
if (!config.smtpUrl) {
  console.error('worker: SMTP_URL is not set');
  process.exit(2);
}
const pool = createPool(url, settings.DATABASE_POOL_MAX ?? 4);
const worker = startMailWorker({ db: createDatabase(pool), config });
console.log(`Mail worker ${worker.id}: ${config.smtpUrl.replace(/\/\/[^@/]*@/, '//***@')}, from ${config.from}, links to ${config.appOrigin}. Stop with Ctrl-C.`);

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
