'use client';
// Share an event's public page: "Share" opens the phone's share sheet (the Web
// Share API) where the browser has one and the device is touch-first; "Copy
// link" works everywhere (CopyLink's fallbacks). A share the guest dismisses is
// no error.
import { useEffect, useState } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { CopyLink } from './copy-link';

export function ShareEvent({ url, title }: { url: string; title: string }) {
  const t = useTranslations('share');
  const [canShare, setCanShare] = useState(false);

  useEffect(() => {
    setCanShare(typeof navigator.share === 'function' && window.matchMedia('(pointer: coarse)').matches);
  }, []);

  async function share() {
    try {
      await navigator.share({ title, url });
    } catch {
      // Dismissed, or refused by the browser: the copy button is still there.
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="share-event">
      {canShare && (
        <Button variant="secondary" size="sm" onClick={() => void share()} data-testid="share-native">
          {t('share')}
        </Button>
      )}
      <CopyLink url={url} testId="share-copy" />
    </div>
  );
}
