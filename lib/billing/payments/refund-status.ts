// A provider's refund as ours: the one mapping of status words, shared by the
// providers (their answers) and the inbox (refund webhooks).

/** `failure`: the provider's word when it failed (Stripe: `failed`, `canceled`, or its failure_reason). */
export type ProviderRefund = { providerRefundId: string; status: 'pending' | 'succeeded' | 'failed'; failure?: string | undefined };

/** A provider's refund status word as ours: succeeded, failed (Stripe's `failed` and `canceled`), else still pending. */
export function providerRefundStatus(status: string | null | undefined): ProviderRefund['status'] {
  if (status === 'succeeded') return 'succeeded';
  if (status === 'failed' || status === 'canceled') return 'failed';
  return 'pending';
}
