// What the ticket pages read, once per request (React cache).
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { readEvent } from '@/lib/events/event-row';
import { orderAnswersByToken, orderByToken, type GuestOrder, type GuestOrderAnswers } from './guest-orders';
import { listOrders } from './organiser-orders';
import { listTicketTypes, publicTicketTypes } from './ticket-types';
import type { ListOrdersQuery, OrderList, PublicTicketTypeDto, TicketTypeDto } from './schemas';
import { openOrderPayment, type OrderPayment } from './payments';

export const eventTicketTypes = cache((eventId: string, ownerId: string): Promise<TicketTypeDto[] | null> => listTicketTypes(getDb(), { eventId, ownerId }));

export const publicTicketTypesOf = cache(async (slug: string): Promise<PublicTicketTypeDto[]> => {
  const event = await readEvent(getDb(), { slug });
  return event ? publicTicketTypes(getDb(), event) : [];
});

export const guestOrder = cache((token: string): Promise<GuestOrder | null> => orderByToken(getDb(), token));

export function ordersPage(eventId: string, ownerId: string, query: ListOrdersQuery): Promise<OrderList | null> {
  return listOrders(getDb(), { eventId, ownerId }, query);
}

export function orderPayment(token: string, appOrigin: string): Promise<OrderPayment | null> {
  return openOrderPayment(getDb(), token, appOrigin);
}

/** The answers behind /o/<token>: the order's and each ticket holder's; null for an unknown token. */
export const guestOrderAnswers = cache((token: string): Promise<GuestOrderAnswers | null> => orderAnswersByToken(getDb(), token));
