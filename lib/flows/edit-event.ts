// The organiser edits an event (PATCH /api/events/:id): the event's update
// with what it means for the folders above events, in its transaction:
// raised capacity moves the waitlist up (lib/registrations), a cancellation
// cancels pending orders and sets the refunds of paid ones going (cancel-event.ts).
import type { Tx } from '@/lib/db/pool';
import type { EventWrite } from '@/lib/events/schemas';
import { updateEvent, type EventUpdate } from '@/lib/events/service';
import { fillFreeSeats } from '@/lib/registrations/waitlist';
import { eventCancelled } from './cancel-event';

export async function editEvent(tx: Tx, update: Omit<EventUpdate, 'fillFreeSeats'>): Promise<EventWrite> {
  const result = await updateEvent(tx, { ...update, fillFreeSeats });
  if (result.event.status === 'cancelled') await eventCancelled(tx, result.event.id);
  return result;
}
