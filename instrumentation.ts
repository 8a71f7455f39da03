// Runs once when a server process starts: subscribe the metrics to the
// request and idempotency hooks before the first request, not at the first scrape.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installMetrics } = await import('./lib/metrics/registry');
  installMetrics();
}
