'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslations } from 'next-intl';
import { apiRequest } from '@/lib/actions/api-client';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { RegistrationDto } from '@/lib/registrations/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';

/** The manage page's cancel button: one Idempotency-Key per attempt, then the page re-reads. */
export function CancelRegistration({ token }: { token: string }) {
  const t = useTranslations('manageRegistration');
  const router = useRouter();
  const hydrated = useHydrated();
  const [state, controller] = useActionController<null, { registration: RegistrationDto }>((_payload, { correlationId, signal }) =>
    apiRequest({ method: 'POST', url: `/api/public/registrations/${encodeURIComponent(token)}/cancel`, correlationId, signal }),
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
      {state.status === 'succeeded' ? (
        <Alert tone="success" testId="cancel-result">
          {t('cancelDone')}
        </Alert>
      ) : (
        <Button variant="danger" busy={state.status === 'running'} disabled={!hydrated} onClick={() => void controller.submit(null)} data-testid="cancel-registration">
          {t('cancel')}
        </Button>
      )}
    </div>
  );
}
