import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { checkinSummaryOf, doorDevicesOf } from '@/lib/checkin/server';
import { can } from '@/lib/teams/permissions';
import { DoorDevicesPanel } from '@/components/checkin/door-devices-panel';
import { eventPageTitle, ownEventPage } from '@/lib/events/server';
import { BackLink } from '@/components/ui/back-link';
import { EventPageHeader } from '@/components/events/event-page-header';
import { AnchorButton } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const t = await getTranslations('checkin.page');
  return { title: await eventPageTitle(id, 'check-in', t('title')) };
}

export default async function CheckinPage({ params }: Props) {
  const { id } = await params;
  const { event, role } = await ownEventPage(id, 'check-in', 'door');
  const summary = await checkinSummaryOf(event.id, event.teamId);
  // Door devices: offered to the roles that may manage them (lib/teams/permissions.ts), as the API allows.
  const devices = can(role, 'devices:manage') ? await doorDevicesOf(event.id, event.teamId) : null;
  if (!summary) notFound();
  const t = await getTranslations('checkin.page');
  const locale = await getLocale();
  // Every time of the event in its own zone (docs/ssot, "Time Standard").
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: event.timezone });
  const at = (iso: string, device: string) => t('onDevice', { time: format.format(new Date(iso)), device });

  return (
    <article className="mx-auto flex max-w-5xl flex-col gap-6" data-testid="checkin-page" data-event-id={event.id}>
      <BackLink href={`/events/${event.id}`}>{t('back')}</BackLink>
      <EventPageHeader
        title={t('title')}
        lead={t('lead', { event: event.title })}
        action={
          <AnchorButton href={`/events/${event.id}/scan`} data-testid="open-scanner">
            {t('openScanner')}
          </AnchorButton>
        }
      />
      <Card as="section" aria-labelledby="checkin-counts-heading">
        <CardTitle id="checkin-counts-heading" size="eyebrow">
          {t('title')}
        </CardTitle>
        <p className="mt-1 text-3xl font-semibold tabular-nums" data-testid="checkin-progress" data-admitted={summary.admitted} data-expected={summary.expected}>
          {t('progress', { admitted: summary.admitted, expected: summary.expected })}
        </p>
        <p className="mt-1 text-sm text-slate-700" data-testid="checkin-scans">
          {t('scans')}: {summary.scans}
        </p>
        <p className="mt-3 text-sm text-slate-700">{t('scannerHint')}</p>
      </Card>
      {devices && <DoorDevicesPanel eventId={event.id} devices={devices} />}
      <section className="flex flex-col gap-3" aria-labelledby="checkin-conflicts-heading">
        <div>
          <h2 id="checkin-conflicts-heading" className="text-lg font-semibold">
            {t('conflictsTitle')}
          </h2>
          <p className="text-sm text-slate-700">{t('conflictsLead')}</p>
        </div>
        {summary.conflicts.length === 0 ? (
          <Card>
            <p data-testid="checkin-no-conflicts">{t('noConflicts')}</p>
          </Card>
        ) : (
          <DataTable
            caption={t('conflictsTitle')}
            labelledBy="checkin-conflicts-heading"
            testId="checkin-conflicts"
            columns={[
              { id: 'ticket', header: t('columns.ticket') },
              { id: 'admission', header: t('columns.admission') },
              { id: 'conflicting', header: t('columns.conflicting') },
            ]}
          >
            {summary.conflicts.map((conflict) => (
              <tr key={conflict.scanId} data-testid="checkin-conflict" data-ticket-id={conflict.ticket.id}>
                <DataRowHeader className="break-words">{conflict.ticket.name}</DataRowHeader>
                <DataCell data-testid="conflict-admission" label={t('columns.admission')}>{at(conflict.admission.scannedAt, conflict.admission.deviceId)}</DataCell>
                <DataCell data-testid="conflict-other" label={t('columns.conflicting')}>{at(conflict.conflicting.scannedAt, conflict.conflicting.deviceId)}</DataCell>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </article>
  );
}
