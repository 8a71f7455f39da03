import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { publicEvent, registrationOpen } from '@/lib/registrations/server';
import { organiserNameOf } from '@/lib/events/server';
import { seatsLeftOf, seatsNotice, type PublicEventDto } from '@/lib/events/schemas';
import { Alert } from '@/components/ui/alert';
import { Card, CardTitle } from '@/components/ui/card';
import { formatEventRange, formatZone } from '@/components/ui/event-time';
import { RegisterForm } from '@/components/registrations/register-form';
import { AddToCalendar } from '@/components/registrations/add-to-calendar';
import { EventDescription } from '@/components/events/event-description';
import { ShareEvent } from '@/components/events/share-event';
import { pageOrigin } from '@/lib/http/request-meta';
import { eventSellsTickets, publicTicketTypesOf, publicTicketTypesWithCode } from '@/lib/tickets/server';
import { TicketOrderForm } from '@/components/tickets/ticket-order-form';
import { CodeBox } from '@/components/tickets/code-box';
import { publicQuestionsOf } from '@/lib/questions/server';

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ code?: string | string[] }> };

/** The description as one line of plain text for meta tags: Markdown's marks dropped, at most 200 characters. */
function plainSummary(markdown: string): string | undefined {
  const text = markdown
    // Raw HTML is dropped on the page; here too, a script's or style's text with it.
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? (text.length > 200 ? `${text.slice(0, 199)}…` : text) : undefined;
}

/** An absolute URL: og:image must be one, and a local cover is a path on this origin. */
const absolute = (url: string, origin: string) => (/^https?:\/\//.test(url) ? url : `${origin}${url}`);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const event = await publicEvent(slug);
  if (!event) return { robots: { index: false } };
  const t = await getTranslations('publicEvent');
  const origin = await pageOrigin();
  const description = plainSummary(event.description);
  const url = `${origin}/e/${event.slug}`;
  const images = event.coverUrl
    ? [{ url: absolute(event.coverUrl, origin), alt: t('coverAlt', { title: event.title }), ...(event.coverSize ?? {}) }]
    : undefined;
  return {
    title: event.title,
    description,
    // Unlisted events are reachable by link only: never indexed.
    robots: event.visibility === 'unlisted' ? { index: false, follow: false } : undefined,
    alternates: { canonical: url },
    openGraph: { type: 'website', title: event.title, description, url, images },
    twitter: { card: images ? 'summary_large_image' : 'summary', title: event.title, description, images: images?.map((image) => image.url) },
  };
}

/** An address as an OpenStreetMap search: a link, never an embed. */
const mapUrl = (address: string) => `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`;

async function Availability({ event, left }: { event: PublicEventDto; left: number }) {
  const t = await getTranslations('publicEvent');
  const notice = seatsNotice(left, event.seats.capacity);
  const text =
    left === 0 && event.waitlist && event.seats.available === 0
      ? t('fullWaitlist', { count: event.seats.waitlisted })
      : notice?.kind === 'soldOut'
        ? t('soldOut')
        : notice?.kind === 'few'
          ? t('fewLeft', { count: notice.left })
          : null;
  if (!text) return null;
  return (
    <p
      className={`rounded-lg px-3 py-2 text-sm font-medium ${notice?.kind === 'few' ? 'bg-amber-50 text-amber-900' : 'bg-slate-100 text-slate-800'}`}
      data-testid="event-availability"
    >
      {text}
    </p>
  );
}

export default async function PublicEventPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const typedCode = [(await searchParams).code].flat()[0]?.trim() || undefined;
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
  // With ?code=: the code applied (its unlocked types, discounted prices) or why it cannot be.
  const withCode = typedCode ? await publicTicketTypesWithCode(event.slug, typedCode) : null;
  const ticketTypes = withCode?.ticketTypes ?? (await publicTicketTypesOf(event.slug));
  // Every type hidden: still a ticketed event, whose tickets only a code shows (never a free registration form).
  const sellsTickets = ticketTypes.length > 0 || (await eventSellsTickets(event.slug));
  const tTickets = await getTranslations('tickets');
  const tCodeBox = await getTranslations('codeBox');
  const organiser = await organiserNameOf(event.id);
  const onSale = ticketTypes.filter((type) => type.onSale);
  const left = seatsLeftOf(seats.available, onSale.map((type) => type.available));
  // Tickets, none on sale (sales ended): the ticket list says so; "sold out" would not be true.
  const showAvailability = event.status !== 'cancelled' && (!sellsTickets || onSale.length > 0);
  const questions = await publicQuestionsOf(event.slug);

  return (
    <article className="flex flex-col gap-6" data-testid="public-event" data-event-id={event.id}>
      {event.coverUrl && event.coverSize && (
        // A plain <img>: the cover is already re-encoded to WebP at most 1600 px wide (lib/media/image.ts).
        // biome-ignore lint/performance/noImgElement: the file is already sized and encoded; next/image would encode it again.
        <img
          src={event.coverUrl}
          width={event.coverSize.width}
          height={event.coverSize.height}
          alt={t('coverAlt', { title: event.title })}
          className="aspect-[2/1] w-full rounded-xl bg-slate-100 object-cover"
          fetchPriority="high"
          data-testid="event-cover"
        />
      )}
      {event.status === 'cancelled' && (
        <Alert tone="warning" testId="event-cancelled">
          {t('cancelled')}
        </Alert>
      )}
      <header className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="event-title">
          {event.title}
        </h1>
        {organiser && (
          <p className="text-slate-700" data-testid="event-organiser">
            {t('hostedBy', { name: organiser })}
          </p>
        )}
        <ShareEvent url={pageUrl} title={event.title} />
      </header>
      <Card as="dl" className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <CardTitle as="dt" size="eyebrow">{tEvents('when')}</CardTitle>
          <dd className="mt-1 text-slate-900">{formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}</dd>
          <dd className="mt-0.5 text-sm text-slate-700">{tEvents('timesShownIn', { zone })}</dd>
        </div>
        <div className="sm:col-span-2">
          <CardTitle as="dt" size="eyebrow">{tEvents('where')}</CardTitle>
          <dd className="mt-1 break-words text-slate-900">
            {event.location.type === 'online' ? tEvents('online') : event.location.address}
          </dd>
          {event.location.type === 'in_person' && (
            <dd className="mt-0.5 text-sm">
              <a href={mapUrl(event.location.address)} target="_blank" rel="noopener noreferrer" className="text-indigo-700 underline underline-offset-2" data-testid="event-map-link">
                {t('mapLink')}
              </a>
            </dd>
          )}
        </div>
      </Card>
      {showAvailability && <Availability event={event} left={left} />}
      {event.status !== 'cancelled' && <AddToCalendar event={event} pageUrl={pageUrl} />}
      {event.description && <EventDescription markdown={event.description} testId="event-description" />}

      <Card as="section" aria-labelledby="register-heading">
        <CardTitle id="register-heading" className="mb-4">
          {sellsTickets ? tTickets('title') : t('registerTitle')}
        </CardTitle>
        {sellsTickets && open ? (
          <>
            <CodeBox state={withCode?.code ?? null} />
            {ticketTypes.length > 0 ? (
              <TicketOrderForm slug={event.slug} ticketTypes={ticketTypes} code={withCode?.code.valid ? withCode.code.code : undefined} questions={questions} />
            ) : (
              <p className="text-slate-700" data-testid="tickets-only-with-code">
                {tCodeBox('onlyWithCode')}
              </p>
            )}
          </>
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
