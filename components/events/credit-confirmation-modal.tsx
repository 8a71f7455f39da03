'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import type { ActionState } from '@/lib/actions/action-controller';
import type { CreditDetails } from '@/lib/events/credit-confirmation';
import { Alert } from '@/components/ui/alert';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

type Props = {
  state: ActionState<unknown, CreditDetails>;
  onConfirm: () => void;
  onCancel: () => void;
};

export function CreditConfirmationModal({ state, onConfirm, onCancel }: Props) {
  const t = useTranslations('creditModal');
  // Billing offers the way back to this form once the credits are bought.
  const pathname = usePathname();
  const open = state.status === 'awaiting_confirmation' || state.status === 'running_confirmed';
  if (!open) return null;

  const running = state.status === 'running_confirmed';
  const error = state.status === 'awaiting_confirmation' ? state.error : null;
  const credit = state.details;
  const facts: Array<[string, number, string]> = [
    [t('creditsRequired'), credit.creditsRequired, 'credits-required'],
    [t('balance'), credit.balance, 'balance'],
    [t('planLimit'), credit.planLimit, 'plan-limit'],
    [t('requested'), credit.requested, 'requested'],
  ];

  return (
    <ConfirmDialog
      open
      title={t('title')}
      description={t('description', { requested: credit.requested, limit: credit.planLimit })}
      confirmLabel={t('confirm')}
      cancelLabel={t('cancel')}
      onConfirm={onConfirm}
      onCancel={onCancel}
      pending={running}
      confirmDisabled={Boolean(error)}
      tone="primary"
      testId="credit-modal"
    >
      <dl className="grid grid-cols-2 gap-3">
        {facts.map(([label, value, id]) => (
          <div key={id} className="rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-lg font-semibold text-slate-900 tabular-nums" data-testid={`credit-modal-${id}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {error && (
        <Alert tone="error" testId="credit-modal-error">
          {t('insufficient')}{' '}
          <Link
            href={`/billing?${new URLSearchParams({ return: pathname })}`}
            className="font-medium underline underline-offset-2"
            data-testid="credit-modal-billing"
            data-keeps-form=""
          >
            {t('buyCredits')}
          </Link>
        </Alert>
      )}
    </ConfirmDialog>
  );
}
