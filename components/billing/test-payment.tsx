import type { ReactNode } from 'react';
import { useTranslations } from 'next-intl';
import { Card, CardTitle } from '@/components/ui/card';

/**
 * The local test provider's payment page, for credits and ticket orders alike:
 * clearly marked TEST, what is paid, then the actions (TestPayActions) or why
 * there are none.
 */
export function TestPaymentCard({ summary, children }: { summary: string; children: ReactNode }) {
  const t = useTranslations('testPay');
  return (
    <div className="mx-auto flex w-full max-w-lg flex-col gap-5">
      <p
        className="rounded-lg border-2 border-dashed border-amber-500 bg-amber-50 px-4 py-3 text-sm font-semibold text-amber-900"
        data-testid="test-pay-banner"
      >
        {t('banner')}
      </p>
      <Card as="section" className="flex flex-col gap-4" aria-labelledby="test-pay-heading">
        <CardTitle as="h1" id="test-pay-heading" size="page">
          {t('title')}
        </CardTitle>
        <p className="text-lg tabular-nums" data-testid="test-pay-summary">
          {summary}
        </p>
        {children}
      </Card>
    </div>
  );
}
