import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/ids';

const MAX_HEADER_LENGTH = 80;

/**
 * An idempotency key as a lower-case UUID: bare or as a quoted string
 * (the IETF draft's form), any case. null when there is none; an
 * INVALID_IDEMPOTENCY_KEY error when it is present but not a UUID.
 */
export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  let value = header.trim();
  if (value.length > MAX_HEADER_LENGTH) throw new AppError('INVALID_IDEMPOTENCY_KEY');
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  if (!isUuid(value)) throw new AppError('INVALID_IDEMPOTENCY_KEY');
  return value.toLowerCase();
}
