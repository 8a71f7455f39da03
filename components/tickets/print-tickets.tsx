'use client';
// "Print tickets" on /o/<token>: the browser's print dialog, with the page's
// print styles (one ticket per page, everything else hidden).
import { useTranslations } from 'next-intl';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';

export function PrintTickets() {
  const t = useTranslations('orderPage');
  const hydrated = useHydrated();
  return (
    <Button variant="secondary" onClick={() => window.print()} disabled={!hydrated} className="print:hidden" data-testid="print-tickets">
      {t('print')}
    </Button>
  );
}
