// The one table from error code to HTTP status: the layers' codes, and the
// codes a domain folder registers (lib/errors, DomainErrorCodes).
import { BILLING_ERROR_CODES } from '@/lib/billing/errors';
import { TEAM_CONFLICT_CODES, TEAM_FORBIDDEN_CODES } from '@/lib/teams/errors';
import { TICKET_ERROR_CODES } from '@/lib/tickets/errors';
import { PAYOUT_ERROR_CODES } from '@/lib/payouts/errors';
import type { ErrorCode } from '@/lib/errors';

/** Each code of a list at one status. */
function eachAt<C extends ErrorCode>(codes: readonly C[], status: number): Record<C, number> {
  return Object.fromEntries(codes.map((code) => [code, status])) as Record<C, number>;
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  // Billing asks for or lacks payment before spending: 402 Payment Required.
  ...eachAt(BILLING_ERROR_CODES, 402),
  FORBIDDEN_ORIGIN: 403,
  FORBIDDEN_FOR_API_KEY: 403,
  // Teams: a role, a scope or an invitation that does not allow it; a team that would lose its last owner.
  ...eachAt(TEAM_FORBIDDEN_CODES, 403),
  ...eachAt(TEAM_CONFLICT_CODES, 409),
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  REQUEST_IN_PROGRESS: 409,
  IDEMPOTENCY_RESPONSE_NOT_STORED: 409,
  EVENT_NOT_DRAFT: 409,
  ALREADY_REGISTERED: 409,
  EVENT_FULL: 409,
  REGISTRATION_CLOSED: 409,
  CAPACITY_BELOW_CONFIRMED: 409,
  NOT_CONFIRMED: 409,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INVALID_SIGNATURE: 400,
  UNSUPPORTED_IMAGE: 400,
  INTERNAL_ERROR: 500,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  STATE_CONFLICT: 409,
  // Paid tickets: every refusal is a conflict with the order's or the event's state.
  ...eachAt(TICKET_ERROR_CODES, 409),
  ...eachAt(PAYOUT_ERROR_CODES, 409),
};
