// Runs once when a server process starts: subscribe the metrics to the
// request and idempotency hooks before the first request, not at the first scrape,
// and record each request's TCP peer for the client address (lib/http/peer-address.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPeerAddress } = await import('./lib/http/peer-address');
  installPeerAddress();
  const { installMetrics } = await import('./lib/metrics/registry');
  installMetrics();
}
