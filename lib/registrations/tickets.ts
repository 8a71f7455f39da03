// Registrations that are tickets: the rows an order's seats become, given
// back, and admitted at the door. Written here only, so the registrations
// table has one writer folder (lib/tickets and lib/checkin call these, under
// the event's lock they hold; the triggers keep the event's and the ticket
// types' counts).
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { registrations, type RegistrationRow } from '@/lib/db/schema';
import { hashToken, newToken } from '@/lib/tokens';
import { holderNameOf, holderNamesOf, linkHolderAnswers } from '@/lib/questions/answers';

export type TicketHolder = { id: string; eventId: string; name: string; email: string; locale: 'en' | 'ru' };

/**
 * The order's tickets: one confirmed registration per seat, in the order of
 * `seats`. The j-th ticket of a type is its j-th holder: named as the order
 * gave them (else the buyer) and given the holder's answers, in this
 * transaction (the commit's check wants each confirmed ticket's required ones).
 */
export async function issueTickets(
  tx: Tx,
  order: TicketHolder,
  seats: readonly { ticketTypeId: string; quantity: number }[],
): Promise<{ id: string; ticketTypeId: string; holder: string }[]> {
  const names = await holderNamesOf(tx, order.id);
  const rows = seats.flatMap((seat) =>
    Array.from({ length: seat.quantity }, (_, holderIndex) => ({
      eventId: order.eventId,
      name: holderNameOf(names, seat.ticketTypeId, holderIndex) ?? order.name,
      email: order.email,
      status: 'confirmed' as const,
      tokenHash: hashToken(newToken()),
      locale: order.locale,
      orderId: order.id,
      ticketTypeId: seat.ticketTypeId,
    })),
  );
  const inserted = await tx
    .insert(registrations)
    .values(rows)
    .returning({ id: registrations.id, ticketTypeId: registrations.ticketTypeId, name: registrations.name });
  const placed = new Map<string, number>();
  const tickets = inserted.map((row) => {
    const ticketTypeId = row.ticketTypeId ?? '';
    const holderIndex = placed.get(ticketTypeId) ?? 0;
    placed.set(ticketTypeId, holderIndex + 1);
    return { id: row.id, ticketTypeId, holderIndex, holder: row.name };
  });
  await linkHolderAnswers(tx, order.id, tickets);
  return tickets.map(({ id, ticketTypeId, holder }) => ({ id, ticketTypeId, holder }));
}

/** Cancels the order's confirmed tickets (or the one named); their seats go back to the event and their types. */
export async function cancelTickets(tx: Tx, orderId: string, ticketId?: string): Promise<void> {
  await tx
    .update(registrations)
    .set({ status: 'cancelled', cancelledAt: sql`now()` })
    .where(and(eq(registrations.orderId, orderId), eq(registrations.status, 'confirmed'), ticketId ? eq(registrations.id, ticketId) : undefined));
}

/** One registration as it stands in this transaction. */
export async function readRegistration(tx: Tx, id: string): Promise<RegistrationRow | null> {
  const [row] = await tx.select().from(registrations).where(eq(registrations.id, id));
  return row ?? null;
}

/**
 * Each ticket's `checked_in_at` set to its admission's time, in one
 * statement (uuids and ISO times hold no comma, brace or quote, so the array
 * literals are exact). The caller holds the tickets' locks.
 */
export async function setCheckedIn(tx: Tx, admitted: readonly { id: string; at: Date }[]): Promise<void> {
  if (admitted.length === 0) return;
  const ids = `{${admitted.map((m) => m.id).join(',')}}`;
  const ats = `{${admitted.map((m) => m.at.toISOString()).join(',')}}`;
  await tx.execute(
    sql`update ${registrations} set checked_in_at = v.at from unnest(${ids}::uuid[], ${ats}::timestamptz[]) as v(id, at) where ${registrations.id} = v.id`,
  );
}
