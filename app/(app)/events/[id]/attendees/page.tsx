import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { eventPageTitle, ownEventPage } from '@/lib/events/server';
import { listRegistrationsQuerySchema } from '@/lib/registrations/queries';
import { attendeePage } from '@/lib/registrations/server';
import { eventTicketTypes } from '@/lib/tickets/server';
import { AnchorButton } from '@/components/ui/button';
import { BackLink } from '@/components/ui/back-link';
import { EventPageHeader } from '@/components/events/event-page-header';
import { AttendeeList } from '@/components/registrations/attendee-list';
import { questionColumns } from '@/lib/questions/server';
import { can } from '@/lib/teams/permissions';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ status?: string; q?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const t = await getTranslations('attendees');
  return { title: await eventPageTitle(id, 'attendees', t('title')) };
}

export default async function AttendeesPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const { event, role } = await ownEventPage(id, 'attendees', 'attendees:read');
  // A hand-edited URL with an unknown status or an overlong search falls back to the whole list.
  const parsed = listRegistrationsQuerySchema.safeParse({ status: search.status || undefined, q: search.q || undefined });
  const query = parsed.success ? parsed.data : listRegistrationsQuerySchema.parse({});
  const [list, ticketTypes] = await Promise.all([attendeePage(event.id, event.teamId, query), eventTicketTypes(event.id, event.teamId)]);
  if (!list) notFound();
  const t = await getTranslations('attendees');
  const questions = await questionColumns(event.id);

  return (
    <article className="mx-auto flex max-w-5xl flex-col gap-6" data-testid="attendees-page" data-event-id={event.id}>
      <BackLink href={`/events/${event.id}`}>{t('back')}</BackLink>
      <EventPageHeader
        title={t('title')}
        lead={t('lead', { event: event.title })}
        action={
          <AnchorButton href={`/api/events/${event.id}/registrations.csv`} download variant="secondary" data-testid="attendees-export-csv">
            {t('exportCsv')}
          </AnchorButton>
        }
      />
      <AttendeeList
        // Another tab is another list. A new search is not a remount, so what is typed meanwhile stays;
        // the list takes the server's new first page when it arrives.
        key={query.status ?? 'all'}
        eventId={event.id}
        timezone={event.timezone}
        status={query.status ?? null}
        q={query.q ?? ''}
        initial={list}
        ticketed={(ticketTypes?.length ?? 0) > 0}
        questions={questions}
        // What the role may do is all that is offered (lib/teams/permissions.ts); the API refuses the rest anyway.
        canCancel={can(role, 'attendees:write')}
        canRefund={can(role, 'orders:refund')}
        canCheckIn={can(role, 'checkin')}
      />
    </article>
  );
}
