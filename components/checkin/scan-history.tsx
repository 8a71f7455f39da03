'use client';
// The last scans on this device, newest first: each with the server's answer
// once it came, and "waiting to be sent" while queued.
import { useTranslations } from 'next-intl';
import { Card, CardTitle } from '@/components/ui/card';
import type { StoredScan } from './scanner-store';

export function ScanHistory({ history, formatTime }: { history: StoredScan[]; formatTime(iso: string): string }) {
  const t = useTranslations('checkin.scanner');
  return (
    <Card as="section" aria-labelledby="scanner-recent">
      <CardTitle id="scanner-recent" size="eyebrow">
        {t('recent')}
      </CardTitle>
      {history.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">{t('noScans')}</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-100" data-testid="scanner-history">
          {history.map((s) => (
            <li key={s.nonce} className="flex items-center justify-between gap-3 py-2 text-sm" data-testid="scanner-history-item" data-verdict={s.verdict} data-server-result={s.server?.result ?? ''}>
              <span className="min-w-0 break-words">
                <span className="font-medium">{s.name ?? '—'}</span> <span className="text-slate-500">{formatTime(s.scannedAt)}</span>
              </span>
              <span className="shrink-0 text-right">
                {t(`result.${s.server?.result ?? s.verdict}`)}
                {s.sent === 0 && <span className="block text-xs text-slate-500">{t('queued', { count: 1 })}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
