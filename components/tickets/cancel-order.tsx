'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useCodeErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

const ROUTE = apiRoute('POST', '/api/public/orders/[token]/cancel');

type CancelAttempt = { orderId: string };

/** The guest cancels the order (a paid one is refunded in full): confirmed in a dialog, one Idempotency-Key per attempt. */
export function CancelOrder({ token, orderId, paid }: { token: string; orderId: string; paid: boolean }) {
  const t = useTranslations('orderPage');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useCodeErrorText();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, controller] = useActionController(
    (_payload: CancelAttempt, { correlationId, signal }) => apiCall(ROUTE, { params: { token }, correlationId, signal }),
    {
      persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${orderId}`, (value) =>
        value && typeof value === 'object' && 'orderId' in value && value.orderId === orderId ? { orderId } : null,
      ),
    },
  );
  useEffect(() => {
    if (state.status === 'succeeded') {
      setOpen(false);
      router.refresh();
    }
  }, [state, router]);
  const pending = state.status === 'running';
  return (
    <>
      <Button ref={opener} variant="secondary" disabled={!hydrated} onClick={() => setOpen(true)} data-testid="order-cancel">
        {paid ? t('cancelAndRefund') : t('cancel')}
      </Button>
      <ConfirmDialog
        open={open}
        title={paid ? t('cancelAndRefundTitle') : t('cancelTitle')}
        description={paid ? t('cancelAndRefundBody') : t('cancelBody')}
        confirmLabel={paid ? t('cancelAndRefund') : t('cancel')}
        cancelLabel={t('keep')}
        onConfirm={() => void controller.submit({ orderId })}
        onCancel={() => {
          setOpen(false);
          if (state.status === 'failed') controller.cancel();
        }}
        pending={pending}
        returnFocus={opener}
        testId="order-cancel-dialog"
        confirmTestId="order-cancel-confirm"
      >
        {state.status === 'failed' && <Alert tone="error">{errorText(state.error)}</Alert>}
      </ConfirmDialog>
    </>
  );
}
