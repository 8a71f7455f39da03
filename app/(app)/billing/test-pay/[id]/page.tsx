// The local test provider's payment page: stands in for Stripe Checkout when
// no STRIPE_SECRET_KEY is set. Clearly marked TEST; no money moves.
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireSessionUser } from '@/lib/auth/server';
import { ownCheckout, testPaymentsAllowed } from '@/lib/billing/server';
import { safeNextPath } from '@/components/auth/next-path';
import { formatPrice } from '@/components/billing/format-price';
import { TestPayActions } from '@/components/billing/test-pay-actions';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ next?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('testPay');
  return { title: t('title'), robots: { index: false } };
}

export default async function TestPayPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { next } = await searchParams;
  const user = await requireSessionUser(`/billing/test-pay/${id}`);
  if (!testPaymentsAllowed()) notFound();
  const checkout = await ownCheckout(user.id, id);
  if (!checkout) notFound();
  const t = await getTranslations('testPay');
  const locale = await getLocale();
  const back = safeNextPath(typeof next === 'string' ? next : null, '/billing');
  const price = formatPrice(checkout.price.amount, checkout.price.currency, locale);

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
          {t('summary', { count: checkout.credits, price })}
        </p>
        {checkout.status === 'open' ? (
          <TestPayActions checkoutId={checkout.id} next={back} />
        ) : (
          <>
            <Alert tone="info">{t('closed')}</Alert>
            <ButtonLink href={back} variant="secondary">
              {t('back')}
            </ButtonLink>
          </>
        )}
      </Card>
    </div>
  );
}
