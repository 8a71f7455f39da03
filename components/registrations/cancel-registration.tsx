'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';
import { AttemptInterrupted } from '@/components/events/action-error-notice';

const ROUTE = apiRoute('POST', '/api/public/registrations/[token]/cancel');

/** What a cancel attempt keeps: the registration's id only (never the manage token, which is a secret). */
type CancelAttempt = { registrationId: string };

/**
 * The manage page's cancel button: one Idempotency-Key per attempt, kept across
 * a reload (per registration), then the page re-reads.
 */
export function CancelRegistration({ token, registrationId }: { token: string; registrationId: string }) {
  const t = useTranslations('manageRegistration');
  const router = useRouter();
  const hydrated = useHydrated();
  const [state, controller] = useActionController(
    (_payload: CancelAttempt, { correlationId, signal }) => apiCall(ROUTE, { params: { token }, correlationId, signal }),
    {
      persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${registrationId}`, (value) =>
        value && typeof value === 'object' && 'registrationId' in value && value.registrationId === registrationId ? { registrationId } : null,
      ),
    },
  );

  useEffect(() => {
    if (state.status === 'succeeded') router.refresh();
  }, [state, router]);

  return (
    <div className="flex flex-col gap-3">
      {state.status === 'failed' && (
        <Alert tone="error" testId="form-error">
          {state.error.message}
        </Alert>
      )}
      {state.status === 'interrupted' && (
        <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />
      )}
      {state.status === 'succeeded' ? (
        <Alert tone="success" testId="cancel-result">
          {t('cancelDone')}
        </Alert>
      ) : (
        <Button variant="danger" busy={state.status === 'running'} disabled={!hydrated} onClick={() => void controller.submit({ registrationId })} data-testid="cancel-registration">
          {t('cancel')}
        </Button>
      )}
    </div>
  );
}
