// /o/<token>/pay: where a guest pays. With Stripe, it opens the order's one
// Checkout Session (or finds it again) and sends the guest there; with the
// local test provider (the embedded default, the tests) it is the TEST
// payment page itself. Outside any transaction: no lock waits on the provider.
import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { pageOrigin } from '@/lib/http/request-meta';
import { formatMoney } from '@/lib/money';
import { orderPayment } from '@/lib/tickets/server';
import { TestPayActions } from '@/components/billing/test-pay-actions';
import { TestPaymentCard } from '@/components/billing/test-payment';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';

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
    <TestPaymentCard summary={tOrder('payTotal', { total: formatMoney(payment.total, payment.currency, locale) })}>
      <TestPayActions target={{ orderToken: token }} />
    </TestPaymentCard>
  );
}
