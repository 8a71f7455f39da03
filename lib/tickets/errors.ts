// Ticketing's error codes (docs/api.md, "Paid tickets (guests)"). lib/errors
// learns them by declaration merging; lib/http/status.ts answers each with 409.

/** TICKETS_ON_SALE: a free registration for an event that sells tickets (its seats go through orders; the database refuses it too). */
export const TICKET_ERROR_CODES = ['SOLD_OUT', 'QUANTITY_BELOW_SOLD', 'REFUND_EXCEEDS_PAID', 'ORDER_NOT_PAID', 'REFUND_CLOSED', 'TICKETS_ON_SALE'] as const;

export type TicketErrorCode = (typeof TICKET_ERROR_CODES)[number];

declare module '@/lib/errors' {
  interface DomainErrorCodes extends Record<TicketErrorCode, true> {}
}
