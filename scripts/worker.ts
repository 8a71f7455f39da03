// npm run worker [-- mail webhooks holds refunds]: the background jobs in a
// process of their own (lib/worker/standalone.ts); all of them when none is named.
import { register } from 'node:module';

// This process is server code, as the Next server is: `server-only` (the guard
// of lib/billing/payments, which the refunds job calls) resolves as it does
// there, to nothing, instead of throwing as it does for a browser bundle.
const hook = `export async function resolve(specifier, context, next) {
  if (specifier !== 'server-only') return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

const { runWorkerProcess } = await import('../lib/worker/standalone');
runWorkerProcess(process.argv.slice(2));
