import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { requireSessionUser, settingsOfUser } from '@/lib/auth/server';
import { visibleEvent } from '@/lib/events/server';
import { Alert } from '@/components/ui/alert';
import { AnchorButton, ButtonLink } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { BackLink } from '@/components/ui/back-link';
import { formatEventRange, formatZone } from '@/components/ui/event-time';
import { StatusBadge } from '@/components/events/status-badge';
import { EventLifecycleActions } from '@/components/events/event-lifecycle-actions';
import { CopyLink } from '@/components/events/copy-link';
import { EventCoverCard } from '@/components/events/event-cover-card';
import { EventDescription } from '@/components/events/event-description';
import { pageOrigin } from '@/lib/http/request-meta';
import { eventCodes, eventTicketTypes, ownEventStats } from '@/lib/tickets/server';
import { EventDashboard } from '@/components/events/event-dashboard';
import { CodesCard, TicketTypesCard } from '@/components/tickets/ticket-types-card';
import { eventQuestionsOf } from '@/lib/questions/server';
import { can } from '@/lib/teams/permissions';
import { roleForEvent } from '@/lib/teams/server';
import { QuestionsPanel } from '@/components/questions/questions-panel';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ created?: string; saved?: string; published?: string; cancelled?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const user = await requireSessionUser(`/events/${id}`);
  const event = await visibleEvent(id, user.id);
  return { title: event?.title };
}

export default async function EventPage({ params, searchParams }: Props) {
  const { id } = await params;
  const { created, saved, published, cancelled } = await searchParams;
  const user = await requireSessionUser(`/events/${id}`);
  const event = await visibleEvent(id, user.id);
  if (!event) notFound();
  const t = await getTranslations('events');
  const tSeats = await getTranslations('organiserSeats');
  const tActions = await getTranslations('eventActions');
  const tAttendees = await getTranslations('attendees');
  const tCheckin = await getTranslations('checkin.page');
  const tTicketTypes = await getTranslations('ticketTypes');
  // What the user's role in the event's team may do is what the page offers (lib/teams/permissions.ts).
  const role = (await roleForEvent(event.id, user.id))?.role ?? null;
  const editor = can(role, 'events:write');
  const seesTickets = can(role, 'tickets:read');
  // The ticket types with sold, held and available, and the numbers: for the roles that read tickets and money (not the door).
  const [ticketTypes, stats] = seesTickets ? await Promise.all([eventTicketTypes(event.id, event.teamId), ownEventStats(event)]) : [null, null];
  const tDashboard = await getTranslations('dashboard');
  const publicUrl = `${await pageOrigin()}/e/${event.slug}`;
  // Its discount and access codes, once it sells tickets.
  const codes = seesTickets && ticketTypes && ticketTypes.length > 0 ? await eventCodes(event.id, event.teamId) : null;
  // What the guests are asked beyond name and email.
  const questions = seesTickets ? await eventQuestionsOf(event.id, event.teamId) : null;
  const locale = await getLocale();
  const zone = formatZone(event.timezone, event.startsAt, locale);

  return (
    <article className="mx-auto flex max-w-2xl flex-col gap-6" data-testid="event-page" data-event-id={event.id}>
      <BackLink href="/events">{t('back')}</BackLink>
      {created === '1' && <Alert tone="success">{t('created')}</Alert>}
      {saved === '1' && <Alert tone="success">{t('saved')}</Alert>}
      {published === '1' && event.status === 'published' && <Alert tone="success">{tActions('publishDone')}</Alert>}
      {cancelled === '1' && event.status === 'cancelled' ? (
        <Alert tone="success" testId="event-cancelled-notice">{tActions('cancelled')}</Alert>
      ) : (
        event.status === 'cancelled' && <Alert tone="info" testId="event-cancelled-notice">{tActions('cancelledNotice')}</Alert>
      )}
      {event.status === 'draft' && <Alert tone="info" testId="event-draft-notice">{tActions('draftNotice')}</Alert>}
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="mb-2 flex items-center gap-2">
            <StatusBadge status={event.status} />
            <span className="text-xs text-slate-600">{t(`visibility.${event.visibility}`)}</span>
          </div>
          <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="event-title">
            {event.title}
          </h1>
        </div>
      </header>

      <div className="-mt-2 flex flex-wrap items-center gap-2" role="group" aria-label={tDashboard('actions')} data-testid="event-action-bar">
        {event.status !== 'draft' && (
          <>
            <AnchorButton href={`/e/${event.slug}`} variant="secondary" size="sm" data-testid="event-view-public">
              {tDashboard('viewPublic')}
            </AnchorButton>
            <CopyLink url={publicUrl} label={tDashboard('share')} testId="copy-public-link" />
          </>
        )}
        {editor && event.status !== 'cancelled' && (
          <ButtonLink href={`/events/${event.id}/edit`} variant="secondary" size="sm">
            {t('edit')}
          </ButtonLink>
        )}
        {editor && <EventLifecycleActions event={{ id: event.id, title: event.title, status: event.status, version: event.version }} />}
      </div>

      {stats && (
        <EventDashboard
          eventId={event.id}
          capacity={event.maxParticipants}
          startsAt={event.startsAt}
          endsAt={event.endsAt}
          timezone={event.timezone}
          locale={locale}
          stats={stats}
          confirmed={event.seats.confirmed}
          ticketed={(ticketTypes?.length ?? 0) > 0}
        />
      )}

      <Card as="dl" className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <CardTitle as="dt" size="eyebrow">{t('when')}</CardTitle>
          <dd className="mt-1 text-slate-900" data-testid="event-when">
            {formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}
          </dd>
          <dd className="mt-0.5 text-sm text-slate-700" data-testid="event-zone">
            {t('timesShownIn', { zone })}
          </dd>
        </div>
        <div>
          <CardTitle as="dt" size="eyebrow">{t('where')}</CardTitle>
          <dd className="mt-1 break-words text-slate-900">
            {event.location.type === 'online' ? (
              <a
                href={event.location.url}
                className="rounded text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                rel="noopener noreferrer"
                target="_blank"
              >
                {event.location.url}
              </a>
            ) : (
              event.location.address
            )}
          </dd>
          <dd className="text-sm text-slate-700">{event.location.type === 'online' ? t('online') : t('inPerson')}</dd>
        </div>
        <div>
          <CardTitle as="dt" size="eyebrow">{t('capacity')}</CardTitle>
          <dd className="mt-1 text-slate-900" data-testid="event-capacity">
            {t('participants', { count: event.maxParticipants })}
          </dd>
        </div>
      </Card>

      {event.description && (
        <Card as="section" aria-labelledby="description-heading">
          <CardTitle id="description-heading" size="eyebrow">
            {tDashboard('description')}
          </CardTitle>
          {/* The description as guests read it: safe Markdown (components/events/event-description.tsx). */}
          <div className="mt-2">
            <EventDescription markdown={event.description} testId="event-description" />
          </div>
        </Card>
      )}

      <Card as="section" className="flex flex-col gap-1" aria-labelledby="registrations-heading" data-testid="event-registrations">
        <CardTitle id="registrations-heading" size="eyebrow">
          {tSeats('registrations')}
        </CardTitle>
        <p className="text-slate-900" data-testid="event-confirmed">
          {tSeats('confirmed', { confirmed: event.seats.confirmed, capacity: event.seats.capacity })}
        </p>
        <p className="text-sm text-slate-700" data-testid="event-waitlist">
          {event.waitlist ? tSeats('waitlist', { count: event.seats.waitlisted }) : tSeats('noWaitlist')}
        </p>
        <p className="mt-2">
          <Link
            href={`/events/${event.id}/attendees`}
            className="text-sm font-medium text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            data-testid="event-attendees-link"
          >
            {tAttendees('open')} →
          </Link>
        </p>
        {can(role, 'door') && <p>
          <Link
            href={`/events/${event.id}/check-in`}
            className="text-sm font-medium text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            data-testid="event-checkin-link"
          >
            {tCheckin('open')} →
          </Link>
        </p>}
        {can(role, 'orders:read') && <p>
          <Link
            href={`/events/${event.id}/orders`}
            className="text-sm font-medium text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            data-testid="event-orders-link"
          >
            {tTicketTypes('ordersLink')} →
          </Link>
        </p>}
        {event.status !== 'draft' && (
          <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
            <span>
              {tSeats('publicLink')}:{' '}
              <a href={`/e/${event.slug}`} className="break-all text-indigo-700 underline underline-offset-2" data-testid="event-public-link">
                /e/{event.slug}
              </a>
            </span>
          </p>
        )}
      </Card>
      {editor && event.status !== 'cancelled' && <EventCoverCard event={event} />}
      {editor && ticketTypes && <TicketTypesCard event={event} ticketTypes={ticketTypes} locale={locale} defaultCurrency={(await settingsOfUser(user.id)).defaultCurrency} />}
      {editor && ticketTypes && codes && <CodesCard event={event} codes={codes} ticketTypes={ticketTypes} locale={locale} />}
      {editor && questions && <QuestionsPanel eventId={event.id} questions={questions} ticketTypes={(ticketTypes ?? []).map(({ id, name }) => ({ id, name }))} />}
    </article>
  );
}
