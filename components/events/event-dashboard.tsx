'use client';
// The organiser's numbers on the event page: tickets sold against capacity,
// revenue, check-ins, and sales by day as a chart with the same numbers in a
// table. While the event is on (doors open), the numbers are read again every
// 15 s, and not while the tab is hidden.
import dynamic from 'next/dynamic';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { formatMoney } from '@/lib/money';
import type { EventStats } from '@/lib/tickets/schemas';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';

const SalesChart = dynamic(() => import('./sales-chart'), {
  ssr: false,
  loading: () => <div className="h-[200px] animate-pulse rounded-lg bg-slate-100" />,
});

export const LIVE_POLL_MS = 15_000;
/** Doors open a while before the start: the numbers go live from then until the end. */
const DOORS_OPEN_MS = 2 * 3600_000;

type Props = {
  eventId: string;
  capacity: number;
  startsAt: string;
  endsAt: string;
  timezone: string;
  locale: string;
  stats: EventStats;
  /** Confirmed registrations (an event without ticket types counts these instead of tickets sold). */
  confirmed: number;
  ticketed: boolean;
};

type Live = { stats: EventStats; confirmed: number };

function isLive(startsAt: string, endsAt: string, at: number): boolean {
  return at >= Date.parse(startsAt) - DOORS_OPEN_MS && at <= Date.parse(endsAt);
}

/** Reads the stats again every LIVE_POLL_MS while `live`, paused while the tab is hidden. */
function useLiveStats(eventId: string, initial: Live, live: boolean): Live {
  const [stats, setStats] = useState(initial);
  useEffect(() => setStats(initial), [initial]);
  useEffect(() => {
    if (!live) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      timer = undefined;
      if (document.visibilityState === 'hidden') return;
      const result = await apiCall(apiRoute('GET', '/api/events/[id]'), { params: { id: eventId }, signal: abort.signal });
      if (abort.signal.aborted) return;
      if (result.ok && result.data.stats) setStats({ stats: result.data.stats, confirmed: result.data.event.seats.confirmed });
      schedule();
    };
    const schedule = () => {
      if (timer === undefined && document.visibilityState !== 'hidden') timer = setTimeout(tick, LIVE_POLL_MS);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        if (timer) clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined) void tick();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      abort.abort();
      if (timer) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [eventId, live]);
  return stats;
}

function Figure({ label, value, detail, testId }: { label: string; value: string; detail?: string; testId: string }) {
  return (
    <div className="flex flex-col gap-1 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200">
      <dt className="text-xs font-medium tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {detail && <dd className="text-sm text-slate-700">{detail}</dd>}
    </div>
  );
}

export function EventDashboard({ eventId, capacity, startsAt, endsAt, timezone, locale, stats: initialStats, confirmed: initialConfirmed, ticketed }: Props) {
  const t = useTranslations('dashboard');
  const format = useFormatter();
  const [live, setLive] = useState(false);
  // Decided in the browser (its clock), after hydration; re-checked each minute so the polling starts when the doors open.
  useEffect(() => {
    const check = () => setLive(isLive(startsAt, endsAt, Date.now()));
    check();
    const timer = setInterval(check, 60_000);
    return () => clearInterval(timer);
  }, [startsAt, endsAt]);
  const initial = useMemo(() => ({ stats: initialStats, confirmed: initialConfirmed }), [initialStats, initialConfirmed]);
  const { stats, confirmed } = useLiveStats(eventId, initial, live);
  const counted = ticketed ? stats.ticketsSold : confirmed;
  const [asTable, setAsTable] = useState(false);

  const money = (amount: number) => (stats.revenue ? formatMoney(amount, stats.revenue.currency, locale) : '—');
  // A date of the event's calendar ("2027-01-09"), shown as that day wherever the browser is.
  const formatDay = (date: string) => format.dateTime(new Date(`${date}T12:00:00Z`), { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const percent = capacity > 0 ? Math.min(100, Math.round((counted / capacity) * 100)) : 0;

  return (
    <Card as="section" className="flex flex-col gap-5" aria-labelledby="dashboard-heading" data-testid="event-dashboard" data-live={live || undefined}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle id="dashboard-heading">{t('title')}</CardTitle>
        {live && (
          <span className="inline-flex items-center gap-1.5 text-xs font-medium text-emerald-700" data-testid="dashboard-live">
            <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-emerald-500" />
            {t('live')}
          </span>
        )}
      </div>
      <dl className="grid gap-3 sm:grid-cols-3">
        <Figure
          label={ticketed ? t('ticketsSold') : t('registered')}
          value={t('soldOfCapacity', { sold: counted, capacity })}
          detail={t('percentFull', { percent })}
          testId="dashboard-sold"
        />
        <Figure
          label={t('revenue')}
          value={money(stats.revenue?.amount ?? 0)}
          detail={stats.revenue ? t('revenueNet') : t('noRevenue')}
          testId="dashboard-revenue"
        />
        <Figure label={t('checkedIn')} value={String(stats.checkedIn)} detail={t('checkedInHint')} testId="dashboard-checked-in" />
      </dl>

      <section className="flex flex-col gap-3" aria-labelledby="sales-heading">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 id="sales-heading" className="text-sm font-medium text-slate-700">
            {t('salesByDay', { zone: timezone })}
          </h3>
          {stats.salesByDay.length > 0 && (
            <Button variant="ghost" size="sm" onClick={() => setAsTable((v) => !v)} aria-pressed={asTable} data-testid="dashboard-table-toggle">
              {asTable ? t('showChart') : t('showTable')}
            </Button>
          )}
        </div>
        {stats.salesByDay.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-6 text-center text-sm text-slate-700" data-testid="dashboard-empty">
            {t('noSales')}
          </p>
        ) : (
          <>
            {!asTable && (
              <div aria-hidden="true" data-testid="dashboard-chart">
                <SalesChart days={stats.salesByDay} formatDay={formatDay} ticketsLabel={t('tickets')} />
              </div>
            )}
            {/* The chart's numbers for everyone: visually hidden under the chart, shown by the toggle. */}
            <div className={cx(!asTable && 'sr-only')}>
              <table className="w-full text-left text-sm" data-testid="dashboard-sales-table">
                <caption className="sr-only">{t('tableCaption')}</caption>
                <thead className="border-b border-slate-200 text-slate-600">
                  <tr>
                    <th scope="col" className="py-2 pr-4 font-medium">{t('day')}</th>
                    <th scope="col" className="py-2 pr-4 text-right font-medium">{t('tickets')}</th>
                    <th scope="col" className="py-2 text-right font-medium">{t('amount')}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {stats.salesByDay.map((day) => (
                    <tr key={day.date} data-testid="dashboard-sales-row" data-date={day.date}>
                      <th scope="row" className="py-2 pr-4 font-normal text-slate-900">{formatDay(day.date)}</th>
                      <td className="py-2 pr-4 text-right tabular-nums">{day.tickets}</td>
                      <td className="py-2 text-right tabular-nums">{money(day.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </Card>
  );
}
