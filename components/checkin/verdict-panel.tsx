'use client';
// The answer to the last scan, large and coloured for a glance at the door:
// the device's verdict at once, and a line with the server's when it differs.
import { useTranslations } from 'next-intl';
import { cx } from '@/components/ui/cx';
import type { StoredScan } from './scanner-store';
import type { ShownScan } from './use-scan-pipeline';
import type { Phase } from './use-scan-sync';
import { TONE, type Tone } from './verdict';

const PANEL: Record<Tone, string> = {
  green: 'bg-emerald-700 text-white',
  amber: 'bg-amber-400 text-slate-950',
  red: 'bg-red-700 text-white',
};

type Props = {
  phase: Phase;
  shown: ShownScan | null;
  /** The stored scan behind `shown`, with the server's answer once it came. */
  stored: StoredScan | undefined;
  formatTime(iso: string): string;
};

export function VerdictPanel({ phase, shown, stored, formatTime }: Props) {
  const t = useTranslations('checkin.scanner');
  const tone = shown ? TONE[shown.verdict] : null;
  return (
    <section
      aria-live="assertive"
      aria-atomic="true"
      className={cx('flex min-h-36 flex-col justify-center rounded-2xl px-5 py-4 shadow-sm', tone ? PANEL[tone] : 'bg-white ring-1 ring-slate-200')}
      data-testid="scan-result"
      data-verdict={shown?.verdict ?? ''}
      data-server-result={stored?.server?.result ?? ''}
    >
      {shown ? (
        <>
          <p className="text-3xl font-bold">{t(`result.${shown.verdict}`)}</p>
          {shown.name && (
            <p className="mt-1 break-words text-2xl font-semibold" data-testid="scan-result-name">
              {shown.name}
            </p>
          )}
          <p className="mt-1 text-base">
            {shown.verdict === 'admitted' && t('detail.admitted', { name: shown.name ?? '' })}
            {shown.verdict === 'already_admitted' && t('detail.already_admitted', { name: shown.name ?? '', time: shown.admittedAt ? formatTime(shown.admittedAt) : '' })}
            {shown.verdict === 'cancelled' && t('detail.cancelled', { name: shown.name ?? '' })}
            {shown.verdict === 'unknown' && t('detail.unknown')}
            {shown.verdict === 'forged' && t('detail.forged')}
          </p>
          {stored?.server && stored.server.result !== shown.verdict && (
            <p className="mt-2 text-sm font-medium" data-testid="scan-result-server">
              {t('serverSaid', { result: t(`result.${stored.server.result}`) })}
            </p>
          )}
        </>
      ) : (
        <p className="text-xl font-medium text-slate-700">{phase === 'loading' ? t('loading') : t('ready')}</p>
      )}
    </section>
  );
}
