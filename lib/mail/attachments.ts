// What a mail carries besides its text, decided by its kind; render.ts only
// renders what it is handed. The event's iCalendar file goes with the
// confirmation, the promotion and the paid order's receipt, and with the change and cancellation mails
// so that the calendar entry follows (same UID, a higher SEQUENCE).
import type { OutboxKind } from '@/lib/enums';
import { eventCalendar } from '@/lib/events/calendar';
import type { EventSnapshot } from '@/lib/outbox/payload';

const WITH_CALENDAR: ReadonlySet<OutboxKind> = new Set(['registration_confirmed', 'registration_promoted', 'order_confirmed', 'event_changed', 'event_cancelled']);

/** The .ics for a mail of this kind about this event, or undefined for a mail that carries none. */
export function calendarFor(kind: OutboxKind, event: EventSnapshot, appOrigin: string): string | undefined {
  if (!WITH_CALENDAR.has(kind)) return undefined;
  return eventCalendar(event, new URL(appOrigin).hostname, `${appOrigin}/e/${event.slug}`);
}
