'use client';
import type { RefObject } from 'react';
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';
import type { CameraState } from './use-camera';

type Props = { camera: CameraState; video: RefObject<HTMLVideoElement | null>; canStart: boolean; onStart(): void; onStop(): void };

export function CameraCard({ camera, video, canStart, onStart, onStop }: Props) {
  const t = useTranslations('checkin.scanner');
  const running = camera === 'on' || camera === 'starting';
  const failed = camera === 'unavailable' || camera === 'denied';
  return (
    <Card className="flex flex-col gap-3">
      <CardTitle size="eyebrow">{t('camera')}</CardTitle>
      <video
        ref={video}
        className={cx('aspect-square w-full rounded-xl bg-slate-900 object-cover', running ? 'block' : 'hidden')}
        muted
        playsInline
        aria-label={t('cameraLabel')}
        data-testid="scanner-video"
      />
      {camera === 'unavailable' && <p className="text-sm text-slate-700">{t('cameraUnavailable')}</p>}
      {camera === 'denied' && <p className="text-sm text-slate-700">{t('cameraDenied')}</p>}
      {running ? (
        <Button variant="secondary" onClick={onStop}>
          {t('stopCamera')}
        </Button>
      ) : (
        // After "not available" or "denied", trying again is the secondary action: typing the reference is the primary one.
        <Button
          variant={failed ? 'secondary' : 'primary'}
          data-variant={failed ? 'secondary' : 'primary'}
          onClick={onStart}
          disabled={!canStart}
          data-testid="scanner-start-camera"
        >
          {t('startCamera')}
        </Button>
      )}
    </Card>
  );
}
