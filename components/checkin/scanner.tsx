'use client';
// The door scanner (/events/:id/scan, docs/api.md "Door check-in"), made for a
// phone: the camera reads QR codes (useCamera), or a code is typed; each scan
// is answered at once from the snapshot on the device (useScanPipeline),
// stored with its nonce in IndexedDB, and sent in batches whenever the network
// is there (useScanSync). A service worker keeps the page itself for offline
// loads (useOfflineCache). On a door device's page (/door/:id) it runs with the
// device's token instead of a session, and the event's title and time zone
// come from the snapshot.
import { useLocale, useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { Alert } from '@/components/ui/alert';
import { cx } from '@/components/ui/cx';
import { CameraCard } from './camera-card';
import { ManualEntry } from './manual-entry';
import { ScanHistory } from './scan-history';
import { ScanQueue } from './scan-queue';
import { useCamera } from './use-camera';
import { useDoorSignal } from './use-door-signal';
import { useOfflineCache } from './use-offline-cache';
import { useScanPipeline } from './use-scan-pipeline';
import type { ScannerAuth } from './scan-sender';
import { useScanSync } from './use-scan-sync';
import { VerdictPanel } from './verdict-panel';

type Props = {
  eventId: string;
  /** Known to the organiser's page; a door device's page reads them from the snapshot. */
  eventTitle?: string;
  timezone?: string;
  /** A door device's token (memoised by the caller); the browser session when left out. */
  auth?: ScannerAuth;
  /** The page the service worker keeps for offline loads. */
  scope?: string;
};

export function Scanner({ eventId, eventTitle, timezone, auth, scope }: Props) {
  const t = useTranslations('checkin.scanner');
  const locale = useLocale();
  const sync = useScanSync(eventId, auth);
  const title = eventTitle ?? sync.event?.title ?? '';
  const zone = timezone ?? sync.event?.timezone;
  const { unlock, signal } = useDoorSignal();
  const { shown, scan } = useScanPipeline(eventId, sync, signal);
  const fromCamera = useCallback((raw: string) => scan(raw, 'camera'), [scan]);
  const { camera, video, start, stop } = useCamera(fromCamera);
  // Without a camera the door types: the manual entry becomes the primary action and takes the focus.
  const cameraFailed = camera === 'unavailable' || camera === 'denied';
  const offlineReady = useOfflineCache(scope ?? `/events/${eventId}/scan`);
  const { phase, online, deviceId } = sync;

  const formatTime = useCallback(
    (iso: string) => new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone: zone }).format(new Date(iso)),
    [locale, zone],
  );

  return (
    <div
      className="mx-auto flex w-full max-w-md flex-col gap-4"
      data-testid="scanner"
      data-phase={phase}
      data-queued={sync.queued}
      data-online={online}
      data-offline-ready={offlineReady}
      data-device-id={deviceId ?? ''}
    >
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        {title && <p className="break-words text-slate-700">{t('event', { event: title })}</p>}
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className={cx('inline-flex items-center gap-1.5 font-medium', online ? 'text-emerald-700' : 'text-amber-800')} data-testid="scanner-network">
            <span aria-hidden="true" className={cx('size-2 rounded-full', online ? 'bg-emerald-600' : 'bg-amber-500')} />
            {online ? t('online') : t('offline')}
          </span>
          {phase === 'ready' && <span className="text-slate-600">{t('tickets', { count: sync.ticketCount })}</span>}
          {deviceId && <span className="text-slate-500">{deviceId}</span>}
        </p>
      </header>

      {phase !== 'revoked' && <VerdictPanel phase={phase} shown={shown} stored={shown ? sync.history.find((s) => s.nonce === shown.nonce) : undefined} formatTime={formatTime} />}

      {sync.revoked && (
        <Alert tone="error" title={t('revokedTitle')} testId="scanner-revoked">
          <p>{t('revokedBody')}</p>
          {sync.revoked.lost > 0 && (
            <p className="mt-2 font-semibold" data-testid="scanner-lost">
              {t('revokedLost', { count: sync.revoked.lost })}
            </p>
          )}
        </Alert>
      )}
      {phase === 'no-snapshot' && (
        <Alert tone="warning" testId="scanner-no-snapshot">
          {t('noSnapshot')}
        </Alert>
      )}
      {sync.snapshotFailed && phase !== 'no-snapshot' && online && <Alert tone="warning">{t('snapshotFailed')}</Alert>}

      {phase !== 'revoked' && (
        <>
      <ScanQueue eventId={eventId} sync={sync} />

      <CameraCard
        camera={camera}
        video={video}
        canStart={phase === 'ready'}
        onStart={() => {
          unlock();
          void start();
        }}
        onStop={stop}
      />

      <ManualEntry
        canCheck={phase === 'ready'}
        focus={cameraFailed}
        onCheck={(code) => {
          unlock();
          scan(code, 'typed');
        }}
      />

      <ScanHistory history={sync.history} formatTime={formatTime} />
        </>
      )}
    </div>
  );
}
