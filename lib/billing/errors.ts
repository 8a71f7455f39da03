// Billing's error codes: the credit step (docs/api.md, POST /api/events).
// lib/errors learns them by declaration merging, so `AppError` and the
// browser's `ClientError` take them as typed codes; lib/http/status.ts gives
// them their status.

export const BILLING_ERROR_CODES = ['CREDIT_CONFIRMATION_REQUIRED', 'INSUFFICIENT_CREDITS'] as const;

export type BillingErrorCode = (typeof BILLING_ERROR_CODES)[number];

declare module '@/lib/errors' {
  interface DomainErrorCodes extends Record<BillingErrorCode, true> {}
}
