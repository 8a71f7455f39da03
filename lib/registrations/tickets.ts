// Registrations that are tickets: the rows an order's seats become, given
// back, and admitted at the door. Written here only, so the registrations
// table has one writer folder (lib/tickets and lib/checkin call these, under
// the event's lock they hold; the triggers keep the event's and the ticket
// types' counts).
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { answers, registrations, ticketHolders, type RegistrationRow } from '@/lib/db/schema';
import { hashToken, newToken } from '@/lib/tokens';

export type TicketHolder = { id: string; eventId: string; name: string; email: string; locale: 'en' | 'ru' };

/**
 * The order's tickets: one confirmed registration per seat, in the order of
 * `seats`. The j-th ticket of a type is its j-th holder: named as the order
 * gave them (ticket_holders; else the buyer), and the holder's answers
 * (lib/questions wrote them with the order) linked to it, in the same
 * statement: this runs under the event's lock, where each round trip is paid
 * by every writer queued behind, and the commit's check
 * (registrations_required_answers) wants each confirmed ticket's answers on it.
 */
export async function issueTickets(
  tx: Tx,
  order: TicketHolder,
  seats: readonly { ticketTypeId: string; quantity: number }[],
): Promise<{ id: string; ticketTypeId: string; holder: string }[]> {
  const placed = seats.flatMap((seat) => Array.from({ length: seat.quantity }, (_, holderIndex) => ({ ticketTypeId: seat.ticketTypeId, holderIndex, tokenHash: hashToken(newToken()) })));
  if (placed.length === 0) return [];
  // uuids, small integers and hex digests hold no comma, brace or quote: the array literals are exact.
  const types = `{${placed.map((p) => p.ticketTypeId).join(',')}}`;
  const indexes = `{${placed.map((p) => p.holderIndex).join(',')}}`;
  const hashes = `{${placed.map((p) => p.tokenHash).join(',')}}`;
  const result = await tx.execute<{ id: string; ticket_type_id: string; name: string }>(sql`
    with seats as (
      select * from unnest(${types}::uuid[], ${indexes}::int[], ${hashes}::text[]) with ordinality as s(type_id, holder_index, token_hash, n)
    ), issued as (
      insert into ${registrations} (event_id, name, email, status, token_hash, locale, order_id, ticket_type_id)
      select ${order.eventId}::uuid, coalesce(h.name, ${order.name}), ${order.email}, 'confirmed', s.token_hash, ${order.locale}, ${order.id}::uuid, s.type_id
      from seats s
      left join ${ticketHolders} h on h.order_id = ${order.id}::uuid and h.ticket_type_id = s.type_id and h.holder_index = s.holder_index
      order by s.n
      returning id, ticket_type_id, token_hash, name
    ), linked as (
      update ${answers} a set registration_id = i.id, updated_at = now()
      from issued i join seats s on s.token_hash = i.token_hash
      where a.order_id = ${order.id}::uuid and a.ticket_type_id = s.type_id and a.holder_index = s.holder_index
      returning a.id
    )
    select i.id, i.ticket_type_id, i.name from issued i join seats s on s.token_hash = i.token_hash order by s.n`);
  return result.rows.map((row) => ({ id: row.id, ticketTypeId: row.ticket_type_id, holder: row.name }));
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
