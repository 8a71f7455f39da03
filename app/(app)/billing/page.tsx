import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireSessionUser } from '@/lib/auth/server';
import { checkoutsOf, creditLedgerOf, creditPacks, organiserAccount } from '@/lib/billing/server';
import { safeNextPath } from '@/components/auth/next-path';
import { BuyPackButton } from '@/components/billing/buy-pack-button';
import { CheckoutPoller } from '@/components/billing/checkout-poller';
import { formatPrice } from '@/components/billing/format-price';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('billing');
  return { title: t('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);
const STATUS_TONE = { open: 'indigo', paid: 'green', expired: 'slate' } as const;

export default async function BillingPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const user = await requireSessionUser('/billing');
  const [{ plan, balance, entitlements }, ledger, checkouts] = await Promise.all([
    organiserAccount(user.id),
    creditLedgerOf(user.id),
    checkoutsOf(user.id),
  ]);
  const t = await getTranslations('billing');
  const locale = await getLocale();
  const packs = creditPacks();
  const reason = (value: string) =>
    value === 'event_upgrade' || value === 'operator_grant' || value === 'purchase'
      ? t(`reasons.${value}`)
      : t('reasons.other', { reason: value });
  // Where the organiser came from (the credit modal's link): offered back once the credits are there.
  const rawReturn = one(query.return);
  const returnTo = rawReturn ? safeNextPath(rawReturn, '') || null : null;
  // Back from the payment page (?checkout=<id>): while that checkout is open, it is watched until it settles.
  const returned = checkouts.find((c) => c.id === one(query.checkout));
  const watched = returned?.status === 'open' ? returned : undefined;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
      <div className="grid gap-4 sm:grid-cols-2">
        <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="plan-heading">
          <h2 id="plan-heading" className="text-sm font-medium text-slate-600">
            {t('plan')}
          </h2>
          <p className="mt-1 text-2xl font-semibold" data-testid="billing-plan">
            {t(`planName.${plan}`)}
          </p>
          <p className="mt-1 text-sm text-slate-700">{t('planLimit', { limit: entitlements.maxParticipants })}</p>
        </section>
        <section className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="balance-heading">
          <h2 id="balance-heading" className="text-sm font-medium text-slate-600">
            {t('balance')}
          </h2>
          <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="billing-balance">
            {balance}
          </p>
          <p className="mt-1 text-sm text-slate-700">{t('balanceHint')}</p>
        </section>
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
        <div className="flex flex-wrap items-center gap-3 rounded-xl bg-white p-4 ring-1 ring-slate-200" data-testid="billing-return">
          <p className="text-sm text-slate-700">{t('returnHint')}</p>
          <ButtonLink href={returnTo} variant="secondary" size="sm">
            {t('returnLink')}
          </ButtonLink>
        </div>
      )}

      <section aria-labelledby="packs-heading" className="flex flex-col gap-3">
        <h2 id="packs-heading" className="text-lg font-semibold">
          {t('packs')}
        </h2>
        <ul className="grid gap-4 sm:grid-cols-3" data-testid="packs">
          {packs.map((pack) => {
            const price = formatPrice(pack.price.amount, pack.price.currency, locale);
            return (
              <li key={pack.id} className="flex flex-col gap-3 rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
                <p className="text-xl font-semibold">{t('packCredits', { count: pack.credits })}</p>
                <p className="text-sm text-slate-700 tabular-nums">{price}</p>
                <BuyPackButton packId={pack.id} returnTo={returnTo} label={t('buyPack', { count: pack.credits, price })} />
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="purchases-heading" className="flex flex-col gap-3">
        <h2 id="purchases-heading" className="text-lg font-semibold">
          {t('purchases')}
        </h2>
        {checkouts.length === 0 ? (
          <p className="rounded-xl bg-white p-5 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="purchases-empty">
            {t('purchasesEmpty')}
          </p>
        ) : (
          <div
            className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
            role="region"
            aria-labelledby="purchases-heading"
            tabIndex={0}
          >
            <table className="w-full text-left text-sm" data-testid="purchases">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('date')}</th>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('pack')}</th>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('price')}</th>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('status')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {checkouts.map((checkout) => (
                  <tr key={checkout.id} data-testid="purchase" data-status={checkout.status}>
                    <td className="px-4 py-2.5 whitespace-nowrap text-slate-700"><LocalDateTime at={checkout.createdAt} locale={locale} /></td>
                    <td className="px-4 py-2.5">{t('packCredits', { count: checkout.credits })}</td>
                    <td className="px-4 py-2.5 tabular-nums">{formatPrice(checkout.price.amount, checkout.price.currency, locale)}</td>
                    <td className="px-4 py-2.5">
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
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="ledger-heading" className="flex flex-col gap-3">
        <h2 id="ledger-heading" className="text-lg font-semibold">
          {t('ledger')}
        </h2>
        {ledger.length === 0 ? (
          <p className="rounded-xl bg-white p-5 text-sm text-slate-700 ring-1 ring-slate-200" data-testid="ledger-empty">
            {t('ledgerEmpty')}
          </p>
        ) : (
          <div
            className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-600"
            role="region"
            aria-labelledby="ledger-heading"
            tabIndex={0}
          >
            <table className="w-full text-left text-sm" data-testid="ledger">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('date')}</th>
                  <th scope="col" className="px-4 py-2.5 font-medium">{t('reason')}</th>
                  <th scope="col" className="hidden px-4 py-2.5 font-medium sm:table-cell">{t('event')}</th>
                  <th scope="col" className="px-4 py-2.5 text-right font-medium">{t('change')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {ledger.map((entry) => (
                  <tr key={entry.id}>
                    <td className="px-4 py-2.5 whitespace-nowrap text-slate-700"><LocalDateTime at={entry.createdAt} locale={locale} /></td>
                    <td className="px-4 py-2.5">{reason(entry.reason)}</td>
                    <td className="hidden px-4 py-2.5 sm:table-cell">
                      {entry.eventId ? (
                        <Link
                          href={`/events/${entry.eventId}`}
                          className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                        >
                          {entry.eventId.slice(0, 8)}
                        </Link>
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </td>
                    <td
                      className={cx(
                        'px-4 py-2.5 text-right font-semibold tabular-nums',
                        entry.delta < 0 ? 'text-red-700' : 'text-emerald-700',
                      )}
                    >
                      {entry.delta > 0 ? `+${entry.delta}` : entry.delta}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="text-xs text-slate-600">{t('howToGet')}</p>
      </section>
    </div>
  );
}
