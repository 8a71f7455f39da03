// npm run webhook-worker: `npm run worker -- webhooks`, under its older name.
import { runWorkerProcess } from '../lib/worker/standalone';

runWorkerProcess(['webhooks'], 'webhook-worker');
