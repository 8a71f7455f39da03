// The credit step of an event write, as both sides of the wire see it
// (docs/api.md, POST and PATCH /api/events): a write that takes a published
// event over its plan's limit answers 402 CREDIT_CONFIRMATION_REQUIRED with
// the details below; the same request again with ?confirm_credit=1 spends the
// credit. The routes declare it (`route(…).confirmable(eventCreditConfirmation)`)
// and the event forms hand it to their ActionController. Browser-safe.

/** What the organiser is asked to confirm (the error's `details`). */
export type CreditDetails = {
  creditsRequired: number;
  balance: number;
  planLimit: number;
  requested: number;
};

/** The 402's details as the modal shows them: a missing figure reads 0 (and at least one credit is required). */
function creditDetailsOf(details: Record<string, unknown>): CreditDetails {
  const number = (key: string): number => {
    const value = details[key];
    return typeof value === 'number' ? value : 0;
  };
  return {
    creditsRequired: number('creditsRequired') || 1,
    balance: number('balance'),
    planLimit: number('planLimit'),
    requested: number('requested'),
  };
}

export const eventCreditConfirmation = {
  /** The query flag that confirms, `?confirm_credit=1`: not part of the request's fingerprint. */
  flag: 'confirm_credit',
  /** The answer that asks for the confirmation; the request's idempotency record then awaits it. */
  askedBy: 'CREDIT_CONFIRMATION_REQUIRED',
  /** The answer to the confirming request when the balance went meanwhile: the question stays open with this error. */
  blockedBy: 'INSUFFICIENT_CREDITS',
  details: creditDetailsOf,
} as const;

/** An event write's query: the flag when the organiser confirmed spending the credit. */
export function creditConfirmedQuery(confirmed: boolean): Record<string, string> {
  return confirmed ? { [eventCreditConfirmation.flag]: '1' } : {};
}

/** An event write's URL, with the flag when the organiser confirmed spending the credit. */
export function creditConfirmedUrl(path: string, confirmed: boolean): string {
  const query = new URLSearchParams(creditConfirmedQuery(confirmed)).toString();
  return query ? `${path}?${query}` : path;
}
