'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Button } from '@/components/ui/button';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

/**
 * Sends a refund the provider failed again: the same refund row goes back to
 * pending (docs/api.md, "Paid tickets"). One Idempotency-Key per attempt; the
 * server answers a refund that is no longer failed as it is.
 */
export function RetryRefund({ eventId, orderId, refundId }: { eventId: string; orderId: string; refundId: string }) {
  const t = useTranslations('orders');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText((error) => error.message);
  const [state, controller] = useActionController((_payload: null, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/events/[id]/orders/[oid]/refunds/[rfid]/retry'), { params: { id: eventId, oid: orderId, rfid: refundId }, correlationId, signal }),
  );
  useEffect(() => {
    if (state.status === 'succeeded') router.refresh();
  }, [state, router]);
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <Button
        size="sm"
        variant="secondary"
        busy={state.status === 'running'}
        disabled={!hydrated || state.status === 'succeeded'}
        onClick={() => void controller.submit(null)}
        data-testid="refund-retry"
      >
        {state.status === 'succeeded' ? t('retried') : t('retry')}
      </Button>
      {state.status === 'failed' && (
        <span role="alert" className="text-xs text-red-700">
          {errorText(state.error)}
        </span>
      )}
    </span>
  );
}
