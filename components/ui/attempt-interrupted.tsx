'use client';
import { useTranslations } from 'next-intl';
import { Alert } from './alert';
import { Button } from './button';

/**
 * An attempt whose answer was lost and that the server cannot say it finished
 * (ActionController `interrupted`): send it again with its key, or drop it.
 * Shared by every form that keeps its attempts (events, registrations, checkout).
 */
export function AttemptInterrupted({ onResend, onDiscard }: { onResend?: () => void; onDiscard?: () => void }) {
  const t = useTranslations('attempt');
  return (
    <Alert tone="warning" title={t('interruptedTitle')} testId="attempt-interrupted">
      <p>{t('interruptedBody')}</p>
      <div className="mt-3 flex flex-wrap gap-2">
        {onResend && (
          <Button size="sm" onClick={onResend} data-testid="attempt-resend">
            {t('sendAgain')}
          </Button>
        )}
        {onDiscard && (
          <Button variant="secondary" size="sm" onClick={onDiscard} data-testid="attempt-discard">
            {t('discard')}
          </Button>
        )}
      </div>
    </Alert>
  );
}
