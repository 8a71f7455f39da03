'use client';
import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Button } from '@/components/ui/button';
import { useErrorText } from '@/components/ui/use-error-text';

type Outcome = 'paid' | 'expired';

/** The TEST payment page of an order: the same inbox as a Stripe webhook, then back to the order as Stripe's success URL would. */
export function TestOrderPay({ token }: { token: string }) {
  const t = useTranslations('testPay');
  const router = useRouter();
  const errorText = useErrorText();
  const [state, controller] = useActionController(async (payload: { outcome: Outcome }, context) => {
    const result = await apiCall(apiRoute('POST', '/api/public/orders/[token]/test-pay'), {
      params: { token },
      body: payload,
      correlationId: context.correlationId,
      signal: context.signal,
    });
    if (result.ok) router.push(`/o/${token}?state=${payload.outcome === 'paid' ? 'success' : 'cancelled'}`);
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
          {errorText(state.error)}
        </p>
      )}
    </div>
  );
}
