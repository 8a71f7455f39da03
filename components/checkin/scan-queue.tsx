'use client';
// The queue's state: how many scans wait, Send now, and why they are stuck
// (a failed send, or a session that ended).
import { useTranslations } from 'next-intl';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import type { ScanSync } from './use-scan-sync';

type Props = { eventId: string; sync: Pick<ScanSync, 'queued' | 'sending' | 'online' | 'sendFailed' | 'signedOut' | 'sync'> };

export function ScanQueue({ eventId, sync: { queued, sending, online, sendFailed, signedOut, sync } }: Props) {
  const t = useTranslations('checkin.scanner');
  return (
    <Card className="flex flex-col gap-3">
      <div className="flex items-center justify-between gap-3">
        <p className="font-medium" data-testid="scanner-queue">
          {sending ? t('sending') : t('queued', { count: queued })}
        </p>
        <Button variant="secondary" size="sm" onClick={() => void sync()} disabled={queued === 0 || sending || !online} busy={sending}>
          {t('sendNow')}
        </Button>
      </div>
      {sendFailed && online && !signedOut && <p className="text-sm text-amber-800">{t('sendFailed')}</p>}
      {signedOut && (
        <Alert tone="warning" testId="scanner-signed-out">
          {t('signedOut')}{' '}
          <a href={`/sign-in?next=${encodeURIComponent(`/events/${eventId}/scan`)}`} className="font-medium underline underline-offset-2">
            {t('signIn')}
          </a>
        </Alert>
      )}
    </Card>
  );
}
