// Payouts' error codes (docs/api.md, "Organiser payouts"). lib/errors learns
// them by declaration merging; lib/http/status.ts answers each with 409.

/** PAYMENTS_NOT_READY: a paid order while the team's connected account cannot take charges; PAYOUTS_NOT_OFFERED: a connected account on a deployment without Connect (STRIPE_CONNECT unset, Stripe in use). */
export const PAYOUT_ERROR_CODES = ['PAYMENTS_NOT_READY', 'PAYOUTS_NOT_OFFERED'] as const;

export type PayoutErrorCode = (typeof PAYOUT_ERROR_CODES)[number];

declare module '@/lib/errors' {
  interface DomainErrorCodes extends Record<PayoutErrorCode, true> {}
}
