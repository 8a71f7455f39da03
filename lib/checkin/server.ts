// What pages read of the door, looked up at most once per request.
import 'server-only';
import { cache } from 'react';
import { getDb } from '@/lib/db/pool';
import { ticketCodeOf, type TicketRef } from './code';
import { listDoorDevices } from './devices';
import { checkinSummary } from './queries';

/** The signed code of a ticket, for its QR code (/r/<token>, /o/<token>). */
export const ticketCode = cache((eventId: string, registrationId: string): Promise<string> => {
  const ticket: TicketRef = { eventId, registrationId };
  return ticketCodeOf(ticket);
});

/** Counts and conflicts for /events/[id]/check-in; null when the event is not the organiser's. */
export const checkinSummaryOf = cache((eventId: string, teamId: string) => checkinSummary(getDb(), eventId, teamId));

/** The event's live door devices for /events/[id]/check-in (the page checks `devices:manage` first). */
export const doorDevicesOf = cache((eventId: string, teamId: string) => listDoorDevices(getDb(), teamId, eventId));
