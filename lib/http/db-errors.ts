// Tells a database that cannot be reached (503, retry later) from a bug (500).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
// SQLSTATE class 08 (connection exception), admin/crash shutdown, cannot connect now, too many connections.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'DATABASE_URL is not set',
];

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    if (!(e instanceof Error)) return false;
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) {
      return true;
    }
    return UNAVAILABLE_MESSAGES.some((m) => e.message.includes(m));
  });
}

/** The innermost cause's message and code, for the one structured log line. */
export function describeError(error: unknown): { message: string; code?: string; stack?: string } {
  const chain = causes(error);
  const last = chain[chain.length - 1];
  if (last instanceof Error) {
    const code = (last as Error & { code?: unknown }).code;
    return { message: last.message, code: typeof code === 'string' ? code : undefined, stack: last.stack };
  }
  return { message: String(error) };
}
