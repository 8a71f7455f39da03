'use client';
import { useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { Button } from '@/components/ui/button';

/** `next`: where signing in again leads (the invitation page of someone signed in with another address). */
export function SignOutButton({ next }: { next?: string } = {}) {
  const t = useTranslations('header');
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="ghost"
      size="sm"
      busy={busy}
      onClick={async () => {
        setBusy(true);
        await apiCall(apiRoute('POST', '/api/auth/sign-out'));
        // A full load, so no page rendered for the session survives in the router cache.
        window.location.assign(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
      }}
    >
      {busy ? t('signingOut') : t('signOut')}
    </Button>
  );
}
