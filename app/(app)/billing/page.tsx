import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { teamPage } from '@/lib/teams/server';
import { checkoutsOf, creditLedgerOf, creditPacks, operatorCommandShown, organiserAccount } from '@/lib/billing/server';
import { PublishCreditBalance } from '@/components/layout/credit-balance';
import { safeNextPath } from '@/components/auth/next-path';
import { BuyPackButton } from '@/components/billing/buy-pack-button';
import { CheckoutPoller } from '@/components/billing/checkout-poller';
import { formatMoney } from '@/lib/money';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';
import { DataCell, DataTable } from '@/components/ui/data-table';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('billing');
  return { title: t('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const STATUS_TONE = { open: 'indigo', paid: 'green', expired: 'slate' } as const;

export default async function BillingPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const { team } = await teamPage('/billing', 'billing');
  const [{ plan, balance, entitlements }, ledger, checkouts] = await Promise.all([
    organiserAccount(team.id),
    creditLedgerOf(team.id),
    checkoutsOf(team.id),
  ]);
  const t = await getTranslations('billing');
  const locale = await getLocale();
  const packs = creditPacks();
  const reason = (value: string) =>
    value === 'event_upgrade' || value === 'operator_grant' || value === 'purchase' || value === 'seed'
      ? t(`reasons.${value}`)
      : t('reasons.other');
  // Where the organiser came from (the credit modal's link): offered back once the credits are there.
  const rawReturn = one(query.return);
  const returnTo = rawReturn ? safeNextPath(rawReturn, '') || null : null;
  // Back from the payment page (?checkout=<id>): while that checkout is open, it is watched until it settles.
  const returned = checkouts.find((c) => c.id === one(query.checkout));
  const watched = returned?.status === 'open' ? returned : undefined;

  return (
    <div className="flex flex-col gap-6">
      <PublishCreditBalance balance={balance} />
      <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
      <div className="grid gap-4 sm:grid-cols-2">
        <Card as="section" aria-labelledby="plan-heading">
          <CardTitle id="plan-heading" size="label">
            {t('plan')}
          </CardTitle>
          <p className="mt-1 text-2xl font-semibold" data-testid="billing-plan">
            {t(`planName.${plan}`)}
          </p>
          <CardDescription>{t('planLimit', { limit: entitlements.maxParticipants })}</CardDescription>
        </Card>
        <Card as="section" aria-labelledby="balance-heading">
          <CardTitle id="balance-heading" size="label">
            {t('balance')}
          </CardTitle>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="billing-balance">
            {balance}
          </p>
          <CardDescription>{t('balanceHint')}</CardDescription>
        </Card>
      </div>

      {returned?.status === 'paid' && (
        <Alert tone="success" testId="checkout-paid">
          {t('paidNotice')}
        </Alert>
      )}
      {returned && returned.status !== 'paid' && one(query.state) === 'cancelled' && (
        <Alert tone="info" testId="checkout-cancelled">
          {t('cancelledNotice')}
        </Alert>
      )}
      {watched && one(query.state) !== 'cancelled' && <CheckoutPoller checkoutId={watched.id} />}
      {returnTo && (
        <Card padding="sm" className="flex flex-wrap items-center gap-3" data-testid="billing-return">
          <p className="text-sm text-slate-700">{t('returnHint')}</p>
          <ButtonLink href={returnTo} variant="secondary" size="sm">
            {t('returnLink')}
          </ButtonLink>
        </Card>
      )}

      <section aria-labelledby="packs-heading" className="flex flex-col gap-3">
        <h2 id="packs-heading" className="text-lg font-semibold">
          {t('packs')}
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3" data-testid="packs">
          {packs.map((pack) => {
            const price = formatMoney(pack.price.amount, pack.price.currency, locale);
            return (
              <Card as="li" key={pack.id} className="flex flex-col gap-3">
                <p className="text-xl font-semibold">{t('packCredits', { count: pack.credits })}</p>
                <p className="text-sm text-slate-700 tabular-nums">{price}</p>
                <BuyPackButton packId={pack.id} returnTo={returnTo} label={t('buyPack', { count: pack.credits, price })} />
              </Card>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="purchases-heading" className="flex flex-col gap-3">
        <h2 id="purchases-heading" className="text-lg font-semibold">
          {t('purchases')}
        </h2>
        {checkouts.length === 0 ? (
          <Card as="p" className="text-sm text-slate-700" data-testid="purchases-empty">
            {t('purchasesEmpty')}
          </Card>
        ) : (
          <DataTable
            caption={t('purchases')}
            labelledBy="purchases-heading"
            testId="purchases"
            columns={[
              { id: 'date', header: t('date') },
              { id: 'pack', header: t('pack') },
              { id: 'price', header: t('price') },
              { id: 'status', header: t('status') },
            ]}
          >
            {checkouts.map((checkout) => (
              <tr key={checkout.id} data-testid="purchase" data-status={checkout.status}>
                <DataCell className="whitespace-nowrap text-slate-700" label={t('date')}>
                  <LocalDateTime at={checkout.createdAt} locale={locale} />
                </DataCell>
                <DataCell label={t('pack')}>{t('packCredits', { count: checkout.credits })}</DataCell>
                <DataCell className="tabular-nums" label={t('price')}>
                  {formatMoney(checkout.price.amount, checkout.price.currency, locale)}
                </DataCell>
                <DataCell label={t('status')}>
                  <span className="flex flex-wrap items-center gap-2">
                    <Badge tone={STATUS_TONE[checkout.status]}>{t(`checkoutStatus.${checkout.status}`)}</Badge>
                    {checkout.url && (
                      <a
                        href={checkout.url}
                        className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                      >
                        {t('continuePayment')}
                      </a>
                    )}
                  </span>
                </DataCell>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="ledger-heading" className="flex flex-col gap-3">
        <h2 id="ledger-heading" className="text-lg font-semibold">
          {t('ledger')}
        </h2>
        {ledger.length === 0 ? (
          <Card as="p" className="text-sm text-slate-700" data-testid="ledger-empty">
            {t('ledgerEmpty')}
          </Card>
        ) : (
          <DataTable
            caption={t('ledger')}
            labelledBy="ledger-heading"
            testId="ledger"
            columns={[
              { id: 'date', header: t('date') },
              { id: 'reason', header: t('reason') },
              { id: 'event', header: t('event') },
              { id: 'change', header: t('change'), className: 'text-right' },
            ]}
          >
            {ledger.map((entry) => (
              <tr key={entry.id} data-testid="ledger-row">
                <DataCell className="whitespace-nowrap text-slate-700" label={t('date')}>
                  <LocalDateTime at={entry.createdAt} locale={locale} />
                </DataCell>
                <DataCell label={t('reason')}>{reason(entry.reason)}</DataCell>
                <DataCell label={t('event')}>
                  {entry.eventId ? (
                    <Link
                      href={`/events/${entry.eventId}`}
                      className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                    >
                      {entry.eventTitle ?? t('eventDeleted')}
                    </Link>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </DataCell>
                <DataCell
                  className={cx('text-right font-semibold tabular-nums', entry.delta < 0 ? 'text-red-700' : 'text-emerald-700')}
                  label={t('change')}
                >
                  {entry.delta > 0 ? `+${entry.delta}` : entry.delta}
                </DataCell>
              </tr>
            ))}
          </DataTable>
        )}
        {operatorCommandShown() && (
          <p className="text-xs text-slate-600" data-testid="billing-operator-command">
            {t('howToGet')}
          </p>
        )}
      </section>
    </div>
  );
}
