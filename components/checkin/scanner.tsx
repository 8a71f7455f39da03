'use client';
// The door scanner (/events/:id/scan, docs/api.md "Door check-in"), made for a
// phone: the camera reads QR codes (useCamera), or a code is typed; each scan
// is answered at once from the snapshot on the device (useScanPipeline),
// stored with its nonce in IndexedDB, and sent in batches whenever the network
// is there (useScanSync). A service worker keeps the page itself for offline
// loads (useOfflineCache).
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
import { useScanSync } from './use-scan-sync';
import { VerdictPanel } from './verdict-panel';

type Props = { eventId: string; eventTitle: string; timezone: string };

export function Scanner({ eventId, eventTitle, timezone }: Props) {
  const t = useTranslations('checkin.scanner');
  const locale = useLocale();
  const sync = useScanSync(eventId);
  const { unlock, signal } = useDoorSignal();
  const { shown, scan } = useScanPipeline(eventId, sync, signal);
  const fromCamera = useCallback((raw: string) => scan(raw, 'camera'), [scan]);
  const { camera, video, start, stop } = useCamera(fromCamera);
  // Without a camera the door types: the manual entry becomes the primary action and takes the focus.
  const cameraFailed = camera === 'unavailable' || camera === 'denied';
  const offlineReady = useOfflineCache(eventId);
  const { phase, online, deviceId } = sync;

  const formatTime = useCallback(
    (iso: string) => new Intl.DateTimeFormat(locale, { timeStyle: 'medium', timeZone: timezone }).format(new Date(iso)),
    [locale, timezone],
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
        <p className="break-words text-slate-700">{t('event', { event: eventTitle })}</p>
        <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <span className={cx('inline-flex items-center gap-1.5 font-medium', online ? 'text-emerald-700' : 'text-amber-800')} data-testid="scanner-network">
            <span aria-hidden="true" className={cx('size-2 rounded-full', online ? 'bg-emerald-600' : 'bg-amber-500')} />
            {online ? t('online') : t('offline')}
          </span>
          {phase === 'ready' && <span className="text-slate-600">{t('tickets', { count: sync.ticketCount })}</span>}
          {deviceId && <span className="text-slate-500">{deviceId}</span>}
        </p>
      </header>

      <VerdictPanel phase={phase} shown={shown} stored={shown ? sync.history.find((s) => s.nonce === shown.nonce) : undefined} formatTime={formatTime} />

      {phase === 'no-snapshot' && (
        <Alert tone="warning" testId="scanner-no-snapshot">
          {t('noSnapshot')}
        </Alert>
      )}
      {sync.snapshotFailed && phase !== 'no-snapshot' && online && <Alert tone="warning">{t('snapshotFailed')}</Alert>}

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
    </div>
  );
}
