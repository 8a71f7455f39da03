// What the ticket pages read, once per request (React cache).
import 'server-only';
import { publicEventRow } from '@/lib/events/server';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { orderAnswersByToken, orderByToken, type GuestOrder, type GuestOrderAnswers } from './guest-orders';
import { listOrders } from './organiser-orders';
import { listTicketTypeRows, listTicketTypes, publicTicketTypes } from './ticket-types';
import type { ListOrdersQuery, OrderList, PublicTicketTypeDto, TicketTypeDto } from './schemas';
import { openOrderPayment, type OrderPayment } from './payments';
import { eventStatsOf, listOwnEventsWithSales, type EventWithSales } from './stats';
import type { EventStats } from './schemas';
import { listCodes, publicCode } from './codes';
import type { CodeDto, PublicCodeState } from './code-schemas';

export const eventTicketTypes = cache((eventId: string, teamId: string): Promise<TicketTypeDto[] | null> => listTicketTypes(getDb(), { eventId, teamId }));

export const publicTicketTypesOf = cache(async (slug: string): Promise<PublicTicketTypeDto[]> => {
  const event = await publicEventRow(slug);
  return event ? publicTicketTypes(getDb(), event) : [];
});

/** The event sells tickets, even when every type is hidden (then only a code shows them): its page takes orders, never free registrations. */
export const eventSellsTickets = cache(async (slug: string): Promise<boolean> => {
  const event = await publicEventRow(slug);
  return event ? (await listTicketTypeRows(getDb(), event.id)).length > 0 : false;
});

/** The public page's types with a typed code applied (`/e/<slug>?code=`): what the code says, the types it unlocks, discounted prices. */
export const publicTicketTypesWithCode = cache(async (slug: string, typed: string): Promise<{ ticketTypes: PublicTicketTypeDto[]; code: PublicCodeState } | null> => {
  const event = await publicEventRow(slug);
  if (!event) return null;
  const applied = await publicCode(getDb(), event, typed.slice(0, 64));
  return { ticketTypes: await publicTicketTypes(getDb(), event, applied.code), code: applied.state };
});

export const eventCodes = cache((eventId: string, teamId: string): Promise<CodeDto[] | null> => listCodes(getDb(), { eventId, teamId }));

export const guestOrder = cache((token: string): Promise<GuestOrder | null> => orderByToken(getDb(), token));

export function ordersPage(eventId: string, teamId: string, query: ListOrdersQuery): Promise<OrderList | null> {
  return listOrders(getDb(), { eventId, teamId }, query);
}

export function orderPayment(token: string, appOrigin: string): Promise<OrderPayment | null> {
  return openOrderPayment(getDb(), token, appOrigin);
}

/** The organiser's numbers of an event the caller has already checked they own (lib/events/server.ts's ownEventPage or visibleEvent). */
export function ownEventStats(event: { id: string; timezone: string }): Promise<EventStats> {
  return eventStatsOf(getDb(), event);
}

/** The organiser's events with their tickets sold and revenue (the events page). */
export const ownEventsWithSales = cache((teamId: string, limit: number): Promise<{ events: EventWithSales[]; nextCursor: string | null }> =>
  listOwnEventsWithSales(getDb(), teamId, { limit }),
);

/** The answers behind /o/<token>: the order's and each ticket holder's; null for an unknown token. */
export const guestOrderAnswers = cache((token: string): Promise<GuestOrderAnswers | null> => orderAnswersByToken(getDb(), token));
