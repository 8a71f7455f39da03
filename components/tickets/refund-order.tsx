'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { formatMoney, minorPerMajor } from '@/lib/tickets/money';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { AttemptInterrupted } from '@/components/events/action-error-notice';

const ROUTE = apiRoute('POST', '/api/events/[id]/orders/[oid]/refund');

/** What a refund attempt keeps in the tab: the order and the amount (no secret). */
type RefundAttempt = { orderId: string; amount?: number };

/**
 * Refund an order, in full (the default) or in part: confirmed in a dialog,
 * one Idempotency-Key per attempt (a second click or a second tab's click
 * sends nothing more; the server refuses more than was paid anyway).
 */
export function RefundOrder({ eventId, orderId, number, refundable, currency }: { eventId: string; orderId: string; number: number; refundable: number; currency: string }) {
  const t = useTranslations('orders');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText((error) => (error.code === 'REFUND_EXCEEDS_PAID' ? t('exceeds', { refundable: formatMoney(Number(error.details?.refundable ?? 0), currency, locale) }) : error.message));
  const [open, setOpen] = useState(false);
  const [partial, setPartial] = useState('');
  const opener = useRef<HTMLButtonElement>(null);
  const [state, controller] = useActionController(
    ({ amount }: RefundAttempt, { correlationId, signal }) =>
      apiCall(ROUTE, { params: { id: eventId, oid: orderId }, body: amount === undefined ? {} : { amount }, correlationId, signal }),
    // Kept across a reload and asked about when every retry lost its answer: a refund
    // that went through is shown as done, never sent again under a new key.
    {
      persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${orderId}`, (value) => {
        if (!value || typeof value !== 'object' || !('orderId' in value) || value.orderId !== orderId) return null;
        const amount = 'amount' in value && typeof value.amount === 'number' && Number.isInteger(value.amount) && value.amount > 0 ? value.amount : undefined;
        return amount === undefined ? { orderId } : { orderId, amount };
      }),
    },
  );
  useEffect(() => {
    if (state.status === 'succeeded') router.refresh();
  }, [state, router]);
  const close = () => {
    setOpen(false);
    setPartial('');
    if (state.status !== 'running') controller.cancel();
  };
  const amount = partial.trim() === '' ? undefined : Math.round(Number(partial.replace(',', '.')) * minorPerMajor(currency));
  const invalid = amount !== undefined && (!Number.isInteger(amount) || amount < 1 || amount > refundable);
  return (
    <>
      <Button ref={opener} size="sm" variant="secondary" disabled={!hydrated || refundable <= 0} onClick={() => setOpen(true)} data-testid="order-refund">
        {t('refund')}
      </Button>
      <ConfirmDialog
        open={open}
        title={t('refundTitle', { number })}
        description={t('refundBody', { refundable: formatMoney(refundable, currency, locale) })}
        confirmLabel={amount === undefined ? t('refundAll') : t('refundAmount', { amount: formatMoney(amount, currency, locale) })}
        cancelLabel={t('keep')}
        onConfirm={() => void controller.submit(amount === undefined ? { orderId } : { orderId, amount })}
        onCancel={close}
        pending={state.status === 'running'}
        confirmDisabled={invalid}
        returnFocus={opener}
        testId="refund-dialog"
        confirmTestId="refund-confirm"
        doneActions={
          state.status === 'succeeded' ? (
            <Button onClick={close} autoFocus data-testid="refund-close">
              {t('close')}
            </Button>
          ) : undefined
        }
      >
        {state.status === 'succeeded' ? (
          <Alert tone="success" testId="refund-done">
            {t('refundStarted', { amount: formatMoney(state.result.refund.amount, currency, locale) })}
          </Alert>
        ) : (
          <Field id={`refund-amount-${orderId}`} label={t('partialLabel')} error={invalid ? t('partialInvalid') : undefined}>
            {(control) => <Input {...control} value={partial} onChange={(e) => setPartial(e.target.value)} inputMode="decimal" placeholder={t('partialPlaceholder')} />}
          </Field>
        )}
        {state.status === 'failed' && <Alert tone="error">{errorText(state.error)}</Alert>}
        {state.status === 'interrupted' && <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />}
      </ConfirmDialog>
    </>
  );
}
