// What every in-process bench section shares: calls timed with N workers,
// nearest-rank percentiles, and running a section on its own from the shell.
import { pathToFileURL } from 'node:url';

export type Timing = { opsPerSecond: number; p50: number; p99: number };

/** Nearest-rank percentile of an ascending list (NaN for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** `ops` calls of `one(i)` spread over `concurrency` workers; latency of each call in ms. */
export async function timeCalls(ops: number, concurrency: number, one: (i: number) => Promise<void>): Promise<Timing> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < ops; i = next++) {
        const t0 = performance.now();
        await one(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { opsPerSecond: (ops / elapsed) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** `npx tsx scripts/bench/<section>.ts` prints the section's markdown (info logs off). */
export function runIfMain(moduleUrl: string, section: () => Promise<string>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  process.env.LOG_LEVEL ??= 'silent';
  section().then(
    (text) => console.log(text),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
