'use client';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Button } from '@/components/ui/button';
import { AttemptInterrupted } from '@/components/events/action-error-notice';

const ROUTE = apiRoute('POST', '/api/billing/checkout');


/**
 * Opens a checkout for the pack (one Idempotency-Key per click; automatic
 * retries reuse it, so a flaky network never opens two) and goes to its
 * payment page: Stripe Checkout, or the app's TEST page. The attempt is kept
 * per pack across a reload or into a duplicated tab, which then reach the
 * same checkout.
 */
export function BuyPackButton({ packId, label, returnTo }: { packId: string; label: string; returnTo: string | null }) {
  const t = useTranslations('billing');
  const [state, controller] = useActionController(
    async (payload: { packId: string }, context) => {
      const result = await apiCall(ROUTE, {
        body: returnTo ? { ...payload, returnTo } : payload,
        correlationId: context.correlationId,
        signal: context.signal,
      });
      if (result.ok) window.location.assign(result.data.checkout.url);
      return result;
    },
    {
      persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${packId}`, (value) =>
        value && typeof value === 'object' && 'packId' in value && value.packId === packId ? { packId } : null,
      ),
    },
  );
  const busy = state.status === 'running' || state.status === 'succeeded';
  return (
    <div className="flex flex-col gap-1">
      <Button onClick={() => controller.submit({ packId })} busy={busy} aria-label={label} data-testid={`buy-${packId}`}>
        {t('buy')}
      </Button>
      {state.status === 'interrupted' && (
        <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />
      )}
      {state.status === 'failed' && (
        <p role="alert" className="text-xs text-red-700" data-testid={`buy-${packId}-error`}>
          {state.error.message}
        </p>
      )}
    </div>
  );
}
