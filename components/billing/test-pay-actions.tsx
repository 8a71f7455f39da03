'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { apiCall, type ApiResult } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import type { PerformContext } from '@/lib/actions/action-controller';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Button } from '@/components/ui/button';
import { useErrorText } from '@/components/ui/use-error-text';

type Outcome = 'paid' | 'expired';

/** What the TEST page pays: a credit checkout (then back to `next`) or a ticket order (then back to its page). */
export type TestPayTarget = { checkoutId: string; next: string } | { orderToken: string };

/**
 * Pay goes through the provider's inbox. Cancel on a credit checkout abandons
 * it (as its session's expiry would); on a ticket order it is the guest
 * cancelling the order, as on the order's page: its page then says "cancelled
 * by you", and no "your order expired" mail goes out.
 */
function payRequest(target: TestPayTarget, payload: { outcome: Outcome }, context: PerformContext): Promise<ApiResult<unknown>> {
  const sent = { body: payload, correlationId: context.correlationId, signal: context.signal };
  if ('checkoutId' in target) return apiCall(apiRoute('POST', '/api/billing/checkouts/[id]/test-pay'), { params: { id: target.checkoutId }, ...sent });
  if (payload.outcome === 'expired') {
    return apiCall(apiRoute('POST', '/api/public/orders/[token]/cancel'), { params: { token: target.orderToken }, correlationId: context.correlationId, signal: context.signal });
  }
  return apiCall(apiRoute('POST', '/api/public/orders/[token]/test-pay'), { params: { token: target.orderToken }, ...sent });
}

/** Where the page goes once paid or cancelled, as Stripe's success and cancel URLs would. */
function returnPath(target: TestPayTarget, outcome: Outcome): string {
  const state = outcome === 'paid' ? 'success' : 'cancelled';
  if (!('checkoutId' in target)) return `/o/${target.orderToken}?state=${state}`;
  const url = new URL(target.next, window.location.origin);
  url.searchParams.set('checkout', target.checkoutId);
  url.searchParams.set('state', state);
  return `${url.pathname}${url.search}`;
}

/** The TEST page's Pay and Cancel: the same inbox as a Stripe webhook, then back as Stripe would send the payer. */
export function TestPayActions({ target }: { target: TestPayTarget }) {
  const t = useTranslations('testPay');
  const router = useRouter();
  const errorText = useErrorText();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [state, controller] = useActionController<{ outcome: Outcome }, unknown>(async (payload, context) => {
    const result = await payRequest(target, payload, context);
    if (result.ok) router.push(returnPath(target, payload.outcome));
    return result;
  });
  const busy = state.status === 'running' || state.status === 'succeeded';
  const submit = (chosen: Outcome) => {
    setOutcome(chosen);
    void controller.submit({ outcome: chosen });
  };
  const status = outcome !== 'paid' ? '' : state.status === 'running' ? t('statusPaying') : state.status === 'succeeded' ? t('statusPaid') : '';
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" disabled={busy} onClick={() => submit('expired')} data-testid="test-pay-cancel">
          {t('cancel')}
        </Button>
        <Button busy={busy} onClick={() => submit('paid')} data-testid="test-pay-pay">
          {t('pay')}
        </Button>
      </div>
      {/* More than the button's spinner: what is happening while the payment is confirmed, said aloud too. */}
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-slate-700 sm:text-right" data-testid="payment-progress">
        {status}
      </p>
      {state.status === 'failed' && (
        <p role="alert" className="text-sm text-red-700">
          {errorText(state.error)}
        </p>
      )}
    </div>
  );
}
