import { formatZone } from '@/components/ui/event-time';
import { Card } from '@/components/ui/card';
import type { TicketTypeDto } from '@/lib/tickets/schemas';
import { TicketTypesPanel } from './ticket-types-panel';
import type { CodeDto } from '@/lib/tickets/code-schemas';
import { CodesPanel } from './codes-panel';

/** The owner's ticket types in a card, times on the event's clocks: on the event page and under its edit form. */
export function TicketTypesCard({
  event,
  ticketTypes,
  locale,
  defaultCurrency,
}: {
  event: { id: string; timezone: string; startsAt: string };
  ticketTypes: TicketTypeDto[];
  locale: string;
  /** The organiser's default currency, for the first type. */
  defaultCurrency: string | null;
}) {
  return (
    <Card as="div">
      <TicketTypesPanel
        eventId={event.id}
        ticketTypes={ticketTypes}
        currency={ticketTypes[0]?.price.currency.toUpperCase() ?? null}
        defaultCurrency={defaultCurrency?.toUpperCase() ?? null}
        timeZone={event.timezone}
        zoneLabel={formatZone(event.timezone, event.startsAt, locale)}
      />
    </Card>
  );
}

/** The owner's discount and access codes in a card (once the event has a ticket type: codes price tickets). */
export function CodesCard({
  event,
  codes,
  ticketTypes,
  locale,
}: {
  event: { id: string; timezone: string; startsAt: string };
  codes: CodeDto[];
  ticketTypes: TicketTypeDto[];
  locale: string;
}) {
  return (
    <Card as="div">
      <CodesPanel
        eventId={event.id}
        codes={codes}
        ticketTypes={ticketTypes}
        currency={ticketTypes[0]?.price.currency ?? 'eur'}
        timeZone={event.timezone}
        zoneLabel={formatZone(event.timezone, event.startsAt, locale)}
      />
    </Card>
  );
}
