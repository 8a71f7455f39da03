// One JSON object per line on stdout/stderr: what log collectors ingest.
// Usable from any layer (HTTP, idempotency, scripts); knows nothing of them.
import { config } from '@/lib/config';

export type LogLevel = 'info' | 'warn' | 'error';

export function logLine(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (level === 'info' && silent()) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}

/** LOG_LEVEL=silent. A bad variable elsewhere must not stop the line that reports it, so that case logs. */
function silent(): boolean {
  try {
    return config().LOG_LEVEL === 'silent';
  } catch {
    return false;
  }
}

/** The chain of causes, outermost first (at most 8). */
export function causesOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** The innermost cause's message and code, for the one structured log line. */
export function describeError(error: unknown): { message: string; code?: string; stack?: string } {
  const chain = causesOf(error);
  const last = chain[chain.length - 1];
  if (last instanceof Error) {
    const code = 'code' in last ? last.code : undefined;
    return { message: last.message, code: typeof code === 'string' ? code : undefined, stack: last.stack };
  }
  return { message: String(error) };
}
