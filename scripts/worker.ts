// npm run worker [-- mail webhooks holds refunds]: the background jobs in a
// process of their own (lib/worker/standalone.ts); all of them when none is named.
import { runWorkerProcess } from '../lib/worker/standalone';

runWorkerProcess(process.argv.slice(2));
