// What a database error means for the caller: unreachable (retry later, 503)
// or a constraint the write ran into.
import { causesOf } from '@/lib/log';

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

function codeOf(error: Error): string | undefined {
  const code = 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The database cannot be reached now; a bug is something else. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causesOf(error).some((e) => {
    if (!(e instanceof Error)) return false;
    const code = codeOf(e);
    if (code && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) return true;
    return UNAVAILABLE_MESSAGES.some((m) => e.message.includes(m));
  });
}

/** `sqlstate` anywhere in the cause chain, raised by the named constraint when one is given. */
function isViolation(error: unknown, sqlstate: string, constraint: string | undefined): boolean {
  return causesOf(error).some(
    (e) => e instanceof Error && codeOf(e) === sqlstate && (constraint === undefined || ('constraint' in e && e.constraint === constraint)),
  );
}

/** SQLSTATE 23505 anywhere in the cause chain (of the named unique index or constraint, when one is given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return isViolation(error, '23505', constraint);
}

/** SQLSTATE 23514 (a CHECK or a trigger's check_violation) anywhere in the cause chain (of the named constraint, when one is given). */
export function isCheckViolation(error: unknown, constraint?: string): boolean {
  return isViolation(error, '23514', constraint);
}
