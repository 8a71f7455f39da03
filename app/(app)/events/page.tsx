import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { can } from '@/lib/teams/permissions';
import { teamPage } from '@/lib/teams/server';
import { organiserAccount } from '@/lib/billing/server';
import { formatMoney } from '@/lib/money';
import { ownEventsWithSales } from '@/lib/tickets/server';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { formatEventRange, formatZone } from '@/components/ui/event-time';
import { StatusBadge } from '@/components/events/status-badge';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('events');
  return { title: t('title') };
}

const PAGE_SIZE = 200;

export default async function EventsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const { deleted } = await searchParams;
  const { team } = await teamPage('/events', 'events:read');
  const [{ events }, { entitlements }] = await Promise.all([ownEventsWithSales(team.id, PAGE_SIZE), organiserAccount(team.id)]);
  const t = await getTranslations('events');
  const tActions = await getTranslations('eventActions');
  const tList = await getTranslations('eventsList');
  const locale = await getLocale();
  // What the role may do is what the page offers: creating needs events:write; the money column, tickets:read (not the door).
  const creator = can(team.role, 'events:write');
  const seesMoney = can(team.role, 'tickets:read');

  return (
    <div className="flex flex-col gap-6">
      {deleted === '1' && (
        <Alert tone="success" testId="event-deleted-notice">
          {tActions('deleted')}
        </Alert>
      )}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        {creator && events.length > 0 && <ButtonLink href="/events/new">{t('new')}</ButtonLink>}
      </div>

      {events.length === 0 ? (
        <Card as="section" tone="dashed" padding="none" className="flex flex-col items-center px-6 py-14 text-center" data-testid="events-empty">
          <div aria-hidden="true" className="mb-4 grid size-12 place-items-center rounded-full bg-indigo-50 text-indigo-600">
            <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" className="size-6">
              <rect x="3.5" y="5" width="17" height="15" rx="2" />
              <path d="M3.5 10h17M8 3v4M16 3v4M12 13v4M10 15h4" strokeLinecap="round" />
            </svg>
          </div>
          <CardTitle>{t('emptyTitle')}</CardTitle>
          <CardDescription className="max-w-md">{t('emptyBody', { limit: entitlements.maxParticipants })}</CardDescription>
          {creator && (
            <ButtonLink href="/events/new" className="mt-6">
              {t('emptyCta')}
            </ButtonLink>
          )}
        </Card>
      ) : (
        <DataTable
          caption={t('title')}
          testId="events-list"
          columns={[
            { id: 'event', header: tList('event') },
            { id: 'status', header: tList('status') },
            { id: 'sold', header: tList('sold'), className: 'text-right' },
            ...(seesMoney ? [{ id: 'revenue', header: tList('revenue'), className: 'text-right' }] : []),
          ]}
        >
          {events.map((event) => (
            <tr key={event.id} data-testid="event-row" data-event-id={event.id} className="align-top">
              <DataRowHeader className="max-w-md">
                <Link
                  href={`/events/${event.id}`}
                  className="block truncate rounded text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                  data-testid="event-title"
                >
                  {event.title}
                </Link>
                <span className="mt-0.5 block text-sm font-normal text-slate-700">
                  {formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}
                  <span className="text-slate-600"> · {formatZone(event.timezone, event.startsAt, locale)}</span>
                </span>
              </DataRowHeader>
              <DataCell label={tList('status')}>
                <StatusBadge status={event.status} />
              </DataCell>
              <DataCell label={tList('sold')} className="text-right tabular-nums whitespace-nowrap" data-testid="event-sold">
                {/* An event that sells nothing counts its free registrations. */}
                {tList('soldOf', { sold: event.revenue ? event.ticketsSold : event.seats.confirmed, capacity: event.maxParticipants })}
              </DataCell>
              {seesMoney && (
                <DataCell label={tList('revenue')} className="text-right tabular-nums whitespace-nowrap" data-testid="event-revenue">
                  {event.revenue ? formatMoney(event.revenue.amount, event.revenue.currency, locale) : '—'}
                </DataCell>
              )}
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}
