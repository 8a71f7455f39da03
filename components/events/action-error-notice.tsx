'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';
import type { ActionState } from '@/lib/actions/action-controller';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { useErrorText } from '@/components/ui/use-error-text';

type Props = {
  state: ActionState<unknown>;
  onReload?: () => void;
  /** For an attempt a reload interrupted: send it again with its key, or drop it. */
  onResend?: () => void;
  onDiscard?: () => void;
};

/** What a failed (or interrupted) attempt means for the organiser, under the form. */
export function ActionErrorNotice({ state, onReload, onResend, onDiscard }: Props) {
  const t = useTranslations('eventForm');
  const errorText = useErrorText();
  const pathname = usePathname();
  if (state.status === 'interrupted') return <AttemptInterrupted onResend={onResend} onDiscard={onDiscard} />;
  if (state.status !== 'failed') return null;
  const { error } = state;

  if (error.code === 'INSUFFICIENT_CREDITS') {
    return (
      <Alert tone="error" testId="form-error">
        {t('insufficientCredits')}{' '}
        <Link
          href={`/billing?${new URLSearchParams({ return: pathname })}`}
          className="font-medium underline underline-offset-2"
          data-keeps-form=""
        >
          {t('buyCredits')}
        </Link>
      </Alert>
    );
  }
  if (error.code === 'VERSION_CONFLICT') {
    return (
      <Alert tone="warning" title={t('conflictTitle')} testId="version-conflict">
        <p>{t('conflictBody')}</p>
        {onReload && (
          <Button variant="secondary" size="sm" className="mt-3" onClick={onReload}>
            {t('reload')}
          </Button>
        )}
      </Alert>
    );
  }
  return (
    <Alert tone="error" testId="form-error">
      {error.code === 'VALIDATION_FAILED' ? t('fixFields') : errorText(error)}
    </Alert>
  );
}
