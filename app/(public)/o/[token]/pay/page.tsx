// /o/<token>/pay: where a guest pays. With Stripe, it opens the order's one
// Checkout Session (or finds it again) and sends the guest there; with the
// local test provider (the embedded default, the tests) it is the TEST
// payment page itself. Outside any transaction: no lock waits on the provider.
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { pageOrigin } from '@/lib/http/request-meta';
import { formatMoney } from '@/lib/tickets/money';
import { orderPayment } from '@/lib/tickets/server';
import { TestOrderPay } from '@/components/tickets/test-order-pay';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';

type Props = { params: Promise<{ token: string }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('testPay');
  return { title: t('title'), robots: { index: false, follow: false } };
}

export default async function OrderPayPage({ params }: Props) {
  const { token } = await params;
  const payment = await orderPayment(token, await pageOrigin());
  if (!payment) notFound();
  if (payment.state === 'redirect') redirect(payment.url);
  const t = await getTranslations('testPay');
  const tOrder = await getTranslations('orderPage');
  const locale = await getLocale();
  if (payment.state === 'closed') {
    return (
      <Card as="section" className="mx-auto flex w-full max-w-lg flex-col gap-4">
        <Alert tone="info">{tOrder('payClosed')}</Alert>
        <ButtonLink href={`/o/${token}`} variant="secondary">
          {tOrder('backToOrder')}
        </ButtonLink>
      </Card>
    );
  }
  return (
    <div className="mx-auto flex w-full max-w-lg flex-col gap-5">
      <p className="rounded-lg border-2 border-dashed border-amber-500 bg-amber-50 px-4 py-3 text-sm font-semibold text-amber-900" data-testid="test-pay-banner">
        {t('banner')}
      </p>
      <Card as="section" className="flex flex-col gap-4" aria-labelledby="test-pay-heading">
        <CardTitle as="h1" id="test-pay-heading" size="page">
          {t('title')}
        </CardTitle>
        <p className="text-lg tabular-nums" data-testid="test-pay-summary">
          {tOrder('payTotal', { total: formatMoney(payment.total, payment.currency, locale) })}
        </p>
        <TestOrderPay token={token} />
      </Card>
    </div>
  );
}
