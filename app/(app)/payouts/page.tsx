// /payouts: the team's connected account (its state from account.updated, what
// Stripe still asks for, the onboarding button for the owner) and its money:
// gross, platform fees, refunded and net, in total and per event, with the CSV
// of every payment and refund (docs/api.md, "Organiser payouts").
import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { apiUrl } from '@/lib/api-routes';
import { PLAN_FEES } from '@/lib/billing/plans';
import { organiserAccount } from '@/lib/billing/server';
import { formatMoney } from '@/lib/money';
import { payoutsPageOf } from '@/lib/payouts/server';
import { can } from '@/lib/teams/permissions';
import { teamPage } from '@/lib/teams/server';
import type { PayoutTotals } from '@/lib/payouts/schemas';
import { OpenAccountButton, TestOnboardingButton } from '@/components/payouts/payout-actions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { AnchorButton } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { DataCell, DataTable } from '@/components/ui/data-table';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('payouts');
  return { title: t('title') };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const TOTALS = ['gross', 'fees', 'refunded', 'net'] as const;

export default async function PayoutsPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  // The current team (lib/teams/server.ts); owner and finance see it, only the owner changes it.
  const { team } = await teamPage('/payouts', 'payouts:read');
  const teamId = team.id;
  const canManage = can(team.role, 'payouts:manage');
  const [view, { plan }] = await Promise.all([payoutsPageOf(teamId), organiserAccount(teamId)]);
  const t = await getTranslations('payouts');
  const tBilling = await getTranslations('billing');
  const locale = await getLocale();
  const { account } = view;
  const currency = view.totals.currency ?? 'eur';
  const money = (amount: number, code = currency) => formatMoney(amount, code, locale);
  const onboarding = typeof query.onboarding === 'string' ? query.onboarding : undefined;
  const testOnboarding = canManage && account?.provider === 'test' && !account.chargesEnabled && onboarding === 'test';
  const fee = PLAN_FEES[plan];
  const totalsLine = (totals: PayoutTotals) => TOTALS.map((key) => `${t(key)} ${money(totals[key], totals.currency ?? currency)}`).join(' · ');

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="text-sm text-slate-700">{view.offered ? t('intro') : t('notOffered')}</p>
      </div>

      {view.offered && (
        <Card as="section" aria-labelledby="account-heading" className="flex flex-col gap-3" data-testid="payouts-account">
          <CardTitle id="account-heading" size="label">
            {t('account')}
          </CardTitle>
          {account ? (
            <>
              <p className="break-all font-mono text-sm text-slate-800" data-testid="payouts-account-id">
                {account.id}
              </p>
              <dl className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
                <div className="flex items-center gap-2">
                  <dt className="text-slate-700">{t('charges')}</dt>
                  <dd data-testid="payouts-charges" data-enabled={account.chargesEnabled}>
                    <Badge tone={account.chargesEnabled ? 'green' : 'slate'}>{account.chargesEnabled ? t('enabled') : t('disabled')}</Badge>
                  </dd>
                </div>
                <div className="flex items-center gap-2">
                  <dt className="text-slate-700">{t('payoutsState')}</dt>
                  <dd data-testid="payouts-payouts" data-enabled={account.payoutsEnabled}>
                    <Badge tone={account.payoutsEnabled ? 'green' : 'slate'}>{account.payoutsEnabled ? t('enabled') : t('disabled')}</Badge>
                  </dd>
                </div>
              </dl>
              {account.requirements.length > 0 && (
                <div className="text-sm text-slate-700">
                  <p>{t('requirements')}</p>
                  <ul className="mt-1 list-inside list-disc font-mono text-xs" data-testid="payouts-requirements">
                    {account.requirements.map((item) => (
                      <li key={item}>{item}</li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          ) : (
            <CardDescription>{view.required ? t('noAccount') : t('noAccountOptional')}</CardDescription>
          )}
          {view.required && !account?.chargesEnabled && (
            <Alert tone="warning" testId="payouts-off-sale">
              {t('offSale')}
            </Alert>
          )}
          {onboarding === 'return' && <Alert tone="info">{t('returned')}</Alert>}
          {canManage ? (
            !testOnboarding &&
            // A simulated account once onboarded has nothing more to update.
            !(account?.provider === 'test' && account.chargesEnabled) && (
              <div className="self-start">
                <OpenAccountButton teamId={teamId} label={!account ? t('setUp') : account.chargesEnabled ? t('update') : t('continue')} />
              </div>
            )
          ) : (
            <p className="text-xs text-slate-600">{t('readOnly')}</p>
          )}
          <p className="text-xs text-slate-600">
            {t('feeRule', { percent: fee.feePercent, fixed: money(fee.feeFixed), plan: tBilling(`planName.${plan}`) })}
          </p>
        </Card>
      )}

      {testOnboarding && (
        <Card as="section" aria-labelledby="test-onboarding-heading" className="flex flex-col gap-3 border-amber-300" data-testid="payouts-test-onboarding">
          <CardTitle id="test-onboarding-heading" size="label">
            {t('testTitle')}
          </CardTitle>
          <CardDescription>{t('testHint')}</CardDescription>
          <div className="self-start">
            <TestOnboardingButton teamId={teamId} label={t('testComplete')} />
          </div>
        </Card>
      )}

      <section aria-labelledby="money-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="money-heading" className="text-lg font-semibold">
            {t('totals')}
          </h2>
          <AnchorButton href={apiUrl('/api/teams/[tid]/payouts.csv', { tid: teamId })} variant="secondary" size="sm" download data-testid="payouts-csv">
            {t('csv')}
          </AnchorButton>
        </div>
        <Card as="dl" className="grid grid-cols-2 gap-4 sm:grid-cols-4" data-testid="payouts-totals">
          {TOTALS.map((key) => (
            <div key={key}>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{t(key)}</dt>
              <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid={`payouts-total-${key}`}>
                {money(view.totals[key])}
              </dd>
            </div>
          ))}
        </Card>
        {view.byCurrency.length > 1 && (
          <div className="text-sm text-slate-700">
            <p>{t('otherCurrencies')}</p>
            <ul className="mt-1 list-inside list-disc">
              {view.byCurrency.slice(1).map((totals) => (
                <li key={totals.currency}>{totalsLine(totals)}</li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-labelledby="per-event-heading" className="flex flex-col gap-3">
        <h2 id="per-event-heading" className="text-lg font-semibold">
          {t('perEvent')}
        </h2>
        {view.events.length === 0 ? (
          <Card as="p" className="text-sm text-slate-700" data-testid="payouts-empty">
            {t('noMoney')}
          </Card>
        ) : (
          <DataTable
            caption={t('perEvent')}
            labelledBy="per-event-heading"
            testId="payouts-events"
            columns={[
              { id: 'event', header: t('event') },
              ...TOTALS.map((key) => ({ id: key, header: t(key), className: 'text-right' })),
            ]}
          >
            {view.events.map((row) => (
              <tr key={`${row.eventId}-${row.currency}`} data-testid="payouts-event-row">
                <DataCell label={t('event')}>
                  <Link
                    href={`/events/${row.eventId}/orders`}
                    className="rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  >
                    {row.title}
                  </Link>
                </DataCell>
                {TOTALS.map((key) => (
                  <DataCell key={key} className="text-right tabular-nums" label={t(key)}>
                    {money(row[key], row.currency)}
                  </DataCell>
                ))}
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
