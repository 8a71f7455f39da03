'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Button } from '@/components/ui/button';

type Outcome = 'paid' | 'expired';

/** The TEST page's Pay and Cancel: the same inbox as a Stripe webhook, then back like Stripe's success/cancel URL. */
export function TestPayActions({ checkoutId, next }: { checkoutId: string; next: string }) {
  const t = useTranslations('testPay');
  const router = useRouter();
  const [state, controller] = useActionController(async (payload: { outcome: Outcome }, context) => {
    const result = await apiCall(apiRoute('POST', '/api/billing/checkouts/[id]/test-pay'), {
      params: { id: checkoutId },
      body: payload,
      correlationId: context.correlationId,
      signal: context.signal,
    });
    if (result.ok) {
      const url = new URL(next, window.location.origin);
      url.searchParams.set('checkout', checkoutId);
      url.searchParams.set('state', payload.outcome === 'paid' ? 'success' : 'cancelled');
      router.push(`${url.pathname}${url.search}`);
    }
    return result;
  });
  const busy = state.status === 'running' || state.status === 'succeeded';
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" disabled={busy} onClick={() => controller.submit({ outcome: 'expired' })} data-testid="test-pay-cancel">
          {t('cancel')}
        </Button>
        <Button busy={busy} onClick={() => controller.submit({ outcome: 'paid' })} data-testid="test-pay-pay">
          {t('pay')}
        </Button>
      </div>
      {state.status === 'failed' && (
        <p role="alert" className="text-sm text-red-700">
          {state.error.message}
        </p>
      )}
    </div>
  );
}
