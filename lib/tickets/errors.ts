// Ticketing's error codes (docs/api.md, "Paid tickets (guests)"). lib/errors
// learns them by declaration merging; lib/http/status.ts answers each with 409.

/** TICKETS_ON_SALE: a free registration for an event that sells tickets (its seats go through orders; the database refuses it too). */
/** CURRENCY_LOCKED: a ticket type's currency change once the event has an order; ALREADY_ADMITTED: a guest refunding a ticket used at the door. */
export const TICKET_ERROR_CODES = [
  'SOLD_OUT',
  'QUANTITY_BELOW_SOLD',
  'REFUND_EXCEEDS_PAID',
  'ORDER_NOT_PAID',
  'REFUND_CLOSED',
  'TICKETS_ON_SALE',
  'CURRENCY_LOCKED',
  'ALREADY_ADMITTED',
  // Discount and access codes (docs/api.md): a code taken in the event, a limit below its uses, a code orders named, none left.
  'CODE_TAKEN',
  'CODE_USES_BELOW_TAKEN',
  'CODE_IN_USE',
  'CODE_EXHAUSTED',
] as const;

export type TicketErrorCode = (typeof TICKET_ERROR_CODES)[number];

declare module '@/lib/errors' {
  interface DomainErrorCodes extends Record<TicketErrorCode, true> {}
}
