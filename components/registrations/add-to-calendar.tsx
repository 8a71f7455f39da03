// "Add to calendar" for a guest: the event's .ics (any calendar app), and
// Google Calendar's and Outlook's "new event" pages filled in. Plain links,
// so it works without JavaScript.
import { useTranslations } from 'next-intl';
import { apiUrl } from '@/lib/api-routes';
import { googleCalendarUrl, outlookCalendarUrl, type CalendarLinkEvent } from '@/lib/registrations/calendar-links';
import { AnchorButton } from '@/components/ui/button';

/** Calendar sites whose compose page opens in a new tab, filled in. */
const sites = [
  { id: 'google', url: googleCalendarUrl },
  { id: 'outlook', url: outlookCalendarUrl },
] as const;

type Props = { event: CalendarLinkEvent & { slug: string }; pageUrl: string };

export function AddToCalendar({ event, pageUrl }: Props) {
  const t = useTranslations('addToCalendar');
  return (
    <section aria-labelledby="add-to-calendar-heading" data-testid="add-to-calendar">
      <h2 id="add-to-calendar-heading" className="mb-2 text-sm font-medium text-slate-700">
        {t('title')}
      </h2>
      <div className="flex flex-wrap gap-2">
        <AnchorButton
          href={apiUrl('/api/public/events/[slug]/calendar.ics', { slug: event.slug })}
          download={`${event.slug}.ics`}
          variant="secondary"
          size="sm"
          data-testid="calendar-ics"
        >
          {t('ics')}
        </AnchorButton>
        {sites.map((site) => (
          <AnchorButton
            key={site.id}
            href={site.url(event, pageUrl)}
            target="_blank"
            rel="noopener noreferrer"
            variant="secondary"
            size="sm"
            data-testid={`calendar-${site.id}`}
          >
            {t(site.id)}
            <span className="sr-only"> {t('newTab')}</span>
          </AnchorButton>
        ))}
      </div>
    </section>
  );
}
