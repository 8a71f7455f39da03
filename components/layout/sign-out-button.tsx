'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { forgetScannerData, sendBeforeSignOut } from '@/components/checkin/forget-on-sign-out';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

/** `next`: where signing in again leads (the invitation page of someone signed in with another address). */
export function SignOutButton({ next }: { next?: string } = {}) {
  const t = useTranslations('header');
  const [busy, setBusy] = useState(false);
  /** Door scans still queued on this browser after trying to send them: asked about before they are lost. */
  const [unsent, setUnsent] = useState(0);

  async function signOut() {
    setBusy(true);
    // The door scanner's data (guests' names, scans) does not outlive the session on this browser.
    await forgetScannerData().catch(() => undefined);
    await apiCall(apiRoute('POST', '/api/auth/sign-out'));
    // A full load, so no page rendered for the session survives in the router cache.
    window.location.assign(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  }

  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        busy={busy}
        data-testid="sign-out"
        onClick={async () => {
          setBusy(true);
          const left = await sendBeforeSignOut().catch(() => 0);
          if (left > 0) {
            setBusy(false);
            setUnsent(left);
            return;
          }
          await signOut();
        }}
      >
        {busy ? t('signingOut') : t('signOut')}
      </Button>
      <ConfirmDialog
        open={unsent > 0}
        title={t('unsentTitle')}
        description={t('unsentBody', { count: unsent })}
        confirmLabel={t('unsentConfirm')}
        cancelLabel={t('unsentKeep')}
        onConfirm={() => void signOut()}
        onCancel={() => setUnsent(0)}
        pending={busy}
        testId="sign-out-unsent"
        confirmTestId="sign-out-unsent-confirm"
      />
    </>
  );
}
