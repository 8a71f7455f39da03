import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireSessionUser } from '@/lib/auth/server';
import { creditLedgerOf, organiserAccount } from '@/lib/billing/server';
import { formatDateTime } from '@/components/events/event-time';
import { cx } from '@/components/ui/cx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('billing');
  return { title: t('title') };
}

export default async function BillingPage() {
  const user = await requireSessionUser('/billing');
  const [{ plan, balance, entitlements }, ledger] = await Promise.all([organiserAccount(user.id), creditLedgerOf(user.id)]);
  const t = await getTranslations('billing');
  const locale = await getLocale();
  const reason = (value: string) =>
    value === 'event_upgrade' || value === 'operator_grant' ? t(`reasons.${value}`) : t('reasons.other', { reason: value });

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
                    <td className="px-4 py-2.5 whitespace-nowrap text-slate-700">{formatDateTime(entry.createdAt, locale)}</td>
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
