// Runs once when a server process starts: subscribe the metrics to the
// request and idempotency hooks before the first request, not at the first scrape,
// record each request's TCP peer for the client address (lib/http/peer-address.ts),
// and start the background jobs whose switch is on (lib/worker/in-process.ts:
// mail, webhooks, hold sweeps, refunds; docs/ssot, "Outbox standard").
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddress } = await import('./lib/http/peer-address');
  installPeerAddress();
  const { installMetrics } = await import('./lib/metrics/registry');
  installMetrics();
  const { installJobs } = await import('./lib/worker/in-process');
  installJobs();
  // The deployment's keys, read (or first stored) on the pool before any request opens a
  // transaction that needs them; a failure here is retried by the routes that load them.
  const { loadServerKeys } = await import('./lib/checkin/signing-key');
  const { logLine } = await import('./lib/log');
  loadServerKeys().catch((error: unknown) => logLine('warn', 'server_keys.warm_failed', { error: error instanceof Error ? error.message : String(error) }));
}
