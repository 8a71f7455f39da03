// The errors the app speaks of, below any transport: a stable code, optional
// details and field errors. Services and the idempotency layer throw AppError;
// only lib/http knows which HTTP status and which message each code becomes.

/** The codes of the layers; a domain folder adds its own through DomainErrorCodes. */
const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'INVALID_IDEMPOTENCY_KEY',
  'IDEMPOTENCY_KEY_REQUIRED',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN_ORIGIN',
  'FORBIDDEN_FOR_API_KEY',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'EMAIL_TAKEN',
  'REQUEST_IN_PROGRESS',
  'IDEMPOTENCY_RESPONSE_NOT_STORED',
  'EVENT_NOT_DRAFT',
  'ALREADY_REGISTERED',
  'EVENT_FULL',
  'REGISTRATION_CLOSED',
  'CAPACITY_BELOW_CONFIRMED',
  'NOT_CONFIRMED',
  'VERSION_CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'IDEMPOTENCY_KEY_REUSED',
  'PRECONDITION_REQUIRED',
  'RATE_LIMITED',
  'INVALID_SIGNATURE',
  'INTERNAL_ERROR',
  'PAYMENT_PROVIDER_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  // A rule the database keeps (a trigger's or a CHECK's refusal) that the request would break: never a 500.
  'STATE_CONFLICT',
  // An upload that is not a JPEG, PNG or WebP image, or not the type its Content-Type claims (docs/api.md, Covers).
  'UNSUPPORTED_IMAGE',
] as const;

/**
 * The codes a domain folder owns, added by declaration merging
 * (`declare module '@/lib/errors' { interface DomainErrorCodes … }`, as in
 * lib/billing/errors.ts), so this folder stays below the domain and every code
 * is still one typed union.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging, which a type alias cannot take.
export interface DomainErrorCodes {}

export type ErrorCode = (typeof ERROR_CODES)[number] | keyof DomainErrorCodes;

/** Field name (`title`, `location.address`) → message keys under `validation` in lib/i18n/messages. */
export type FieldErrors = Record<string, string[]>;

/** An error as the API's envelope carries it (docs/api.md, Envelope); also what the browser client reads. */
export type ErrorBody = {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  fieldErrors?: FieldErrors;
};

export type AppErrorOptions = {
  details?: Record<string, unknown>;
  fieldErrors?: FieldErrors;
  /** When trying again makes sense, and not before: becomes Retry-After over HTTP. */
  retryAfterSeconds?: number;
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: AppErrorOptions = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

/** A validation failure on one field, with one message key. */
export function invalidField(field: string, key: string): AppError {
  return new AppError('VALIDATION_FAILED', { fieldErrors: { [field]: [key] } });
}
