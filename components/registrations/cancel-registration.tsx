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
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';

const ROUTE = apiRoute('POST', '/api/public/registrations/[token]/cancel');

/** What a cancel attempt keeps: the registration's id only (never the manage token, which is a secret). */
type CancelAttempt = { registrationId: string };

/**
 * The manage page's cancel: a quiet button that asks first (ConfirmDialog),
 * one Idempotency-Key per attempt, kept across a reload (per registration),
 * then the page re-reads. A failure is said in our words for its code, never
 * the server's sentence.
 */
export function CancelRegistration({ token, registrationId }: { token: string; registrationId: string }) {
  const t = useTranslations('manageRegistration');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useCodeErrorText();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const [state, controller] = useActionController(
    (_payload: CancelAttempt, { correlationId, signal }) => apiCall(ROUTE, { params: { token }, correlationId, signal }),
    {
      persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${registrationId}`, (value) =>
        value && typeof value === 'object' && 'registrationId' in value && value.registrationId === registrationId ? { registrationId } : null,
      ),
    },
  );

  useEffect(() => {
    if (state.status === 'succeeded') {
      setOpen(false);
      router.refresh();
    }
  }, [state, router]);

  return (
    <div className="flex flex-col items-start gap-3">
      {state.status === 'interrupted' && <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />}
      <Button ref={opener} variant="secondary" disabled={!hydrated || state.status === 'succeeded'} onClick={() => setOpen(true)} data-testid="cancel-registration">
        {t('cancel')}
      </Button>
      <ConfirmDialog
        open={open}
        title={t('cancelTitle')}
        description={t('cancelBody')}
        confirmLabel={t('cancelConfirm')}
        cancelLabel={t('keep')}
        onConfirm={() => void controller.submit({ registrationId })}
        onCancel={() => {
          setOpen(false);
          if (state.status === 'failed') controller.cancel();
        }}
        pending={state.status === 'running'}
        returnFocus={opener}
        testId="manage-cancel-dialog"
        confirmTestId="manage-cancel-confirm"
      >
        {state.status === 'failed' && (
          <Alert tone="error" testId="form-error">
            {errorText(state.error)}
          </Alert>
        )}
      </ConfirmDialog>
    </div>
  );
}
