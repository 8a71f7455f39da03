import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { publicEvent, registrationOpen } from '@/lib/registrations/server';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { formatEventRange, formatZone } from '@/components/ui/event-time';
import { RegisterForm } from '@/components/registrations/register-form';
import { AddToCalendar } from '@/components/registrations/add-to-calendar';
import { pageOrigin } from '@/lib/http/request-meta';
import { publicTicketTypesOf } from '@/lib/tickets/server';
import { TicketOrderForm } from '@/components/tickets/ticket-order-form';
import { publicQuestionsOf } from '@/lib/questions/server';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const event = await publicEvent(slug);
  if (!event) return { robots: { index: false } };
  const description = event.description.slice(0, 200) || undefined;
  return {
    title: event.title,
    description,
    // Unlisted events are reachable by link only: never indexed.
    robots: event.visibility === 'unlisted' ? { index: false, follow: false } : undefined,
    openGraph: { type: 'website', title: event.title, description, url: `/e/${event.slug}` },
  };
}

export default async function PublicEventPage({ params }: Props) {
  const { slug } = await params;
  const event = await publicEvent(slug);
  if (!event) notFound();
  const t = await getTranslations('publicEvent');
  const tEvents = await getTranslations('events');
  const locale = await getLocale();
  const zone = formatZone(event.timezone, event.startsAt, locale);
  const { seats } = event;
  const open = registrationOpen(event);
  const full = seats.available === 0;
  const pageUrl = `${await pageOrigin()}/e/${event.slug}`;
  // An event that sells tickets takes orders instead of free registrations.
  const ticketTypes = await publicTicketTypesOf(event.slug);
  const tTickets = await getTranslations('tickets');
  const questions = await publicQuestionsOf(event.slug);

  return (
    <article className="flex flex-col gap-6" data-testid="public-event" data-event-id={event.id}>
      {event.status === 'cancelled' && (
        <Alert tone="warning" testId="event-cancelled">
          {t('cancelled')}
        </Alert>
      )}
      <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="event-title">
        {event.title}
      </h1>
      <Card as="dl" className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <CardTitle as="dt" size="eyebrow">{tEvents('when')}</CardTitle>
          <dd className="mt-1 text-slate-900">{formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}</dd>
          <dd className="mt-0.5 text-sm text-slate-700">{tEvents('timesShownIn', { zone })}</dd>
        </div>
        <div>
          <CardTitle as="dt" size="eyebrow">{tEvents('where')}</CardTitle>
          <dd className="mt-1 break-words text-slate-900">
            {event.location.type === 'online' ? tEvents('online') : event.location.address}
          </dd>
        </div>
        <div>
          <CardTitle as="dt" size="eyebrow">{tEvents('capacity')}</CardTitle>
          <dd className="mt-1 text-slate-900" data-testid="event-seats">
            {t('seats', { confirmed: seats.confirmed, capacity: seats.capacity })}
          </dd>
          <dd className="text-sm text-slate-700" data-testid="event-availability">
            {!full
              ? t('seatsLeft', { available: seats.available })
              : event.waitlist
                ? t('fullWaitlist', { count: seats.waitlisted })
                : t('fullNoWaitlist')}
          </dd>
        </div>
      </Card>
      {event.status !== 'cancelled' && <AddToCalendar event={event} pageUrl={pageUrl} />}
      {event.description && <p className="whitespace-pre-line break-words text-slate-800">{event.description}</p>}

      <Card as="section" aria-labelledby="register-heading">
        <CardTitle id="register-heading" className="mb-4">
          {ticketTypes.length > 0 ? tTickets('title') : t('registerTitle')}
        </CardTitle>
        {ticketTypes.length > 0 && open ? (
          <TicketOrderForm slug={event.slug} ticketTypes={ticketTypes} questions={questions} />
        ) : !open ? (
          <p data-testid="registration-closed">{event.status === 'cancelled' ? t('cancelled') : t('closed')}</p>
        ) : full && !event.waitlist ? (
          <p data-testid="registration-full">{t('fullNoWaitlist')}</p>
        ) : (
          <RegisterForm slug={event.slug} waitlisted={full} questions={questions} />
        )}
      </Card>
    </article>
  );
}
