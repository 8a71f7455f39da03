// One table from error code to HTTP status; handlers throw ApiError(code) and
// the route wrapper turns it into the envelope.

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_IDEMPOTENCY_KEY: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CREDIT_CONFIRMATION_REQUIRED: 402,
  INSUFFICIENT_CREDITS: 402,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  REQUEST_IN_PROGRESS: 409,
  IDEMPOTENCY_RESPONSE_NOT_STORED: 409,
  EVENT_NOT_DRAFT: 409,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type FieldErrors = Record<string, string[]>;

export type ApiErrorBody = {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  fieldErrors?: FieldErrors;
};

export type ApiErrorOptions = {
  details?: Record<string, unknown>;
  fieldErrors?: FieldErrors;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** Message parameters for the localized text. */
  values?: Record<string, string | number>;
};

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly options: ApiErrorOptions = {},
  ) {
    super(code);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
