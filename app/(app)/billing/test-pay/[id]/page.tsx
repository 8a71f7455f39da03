// The local test provider's payment page: stands in for Stripe Checkout when
// no STRIPE_SECRET_KEY is set. Clearly marked TEST; no money moves.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { teamPage } from '@/lib/teams/server';
import { ownCheckout, testPaymentsAllowed } from '@/lib/billing/server';
import { safeNextPath } from '@/components/auth/next-path';
import { formatMoney } from '@/lib/money';
import { TestPayActions } from '@/components/billing/test-pay-actions';
import { TestPaymentCard } from '@/components/billing/test-payment';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ next?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('testPay');
  return { title: t('title'), robots: { index: false } };
}

export default async function TestPayPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { next } = await searchParams;
  const { team } = await teamPage(`/billing/test-pay/${id}`, 'billing');
  if (!testPaymentsAllowed()) notFound();
  const checkout = await ownCheckout(team.id, id);
  if (!checkout) notFound();
  const t = await getTranslations('testPay');
  const locale = await getLocale();
  const back = safeNextPath(typeof next === 'string' ? next : null, '/billing');
  const price = formatMoney(checkout.price.amount, checkout.price.currency, locale);

  return (
    <TestPaymentCard summary={t('summary', { count: checkout.credits, price })}>
      {checkout.status === 'open' ? (
        <TestPayActions target={{ checkoutId: checkout.id, next: back }} />
      ) : (
        <>
          <Alert tone="info">{t('closed')}</Alert>
          <ButtonLink href={back} variant="secondary">
            {t('back')}
          </ButtonLink>
        </>
      )}
    </TestPaymentCard>
  );
}
