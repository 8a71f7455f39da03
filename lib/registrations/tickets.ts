// Registrations that are tickets: the rows an order's seats become, given
// back, and admitted at the door. Written here only, so the registrations
// table has one writer folder (lib/tickets and lib/checkin call these, under
// the event's lock they hold; the triggers keep the event's and the ticket
// types' counts).
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { answers, registrations, ticketHolders, type RegistrationRow } from '@/lib/db/schema';
import { hashToken, newToken } from '@/lib/tokens';
import { insertRegistrations } from './insert';

/** The order whose tickets are issued; `holderDetails`: it named holders or answered per-ticket questions (else nothing to link). */
export type TicketHolder = { id: string; eventId: string; name: string; email: string; locale: 'en' | 'ru'; holderDetails?: boolean };

/** The order's tickets: one confirmed registration per seat, in the order of `seats`, each named after its holder and given its answers. */
export async function issueTickets(
  tx: Tx,
  order: TicketHolder,
  seats: readonly { ticketTypeId: string; quantity: number }[],
): Promise<{ id: string; ticketTypeId: string; reference: string; holder: string }[]> {
  const placed = seats.flatMap((seat) => Array.from({ length: seat.quantity }, (_, holderIndex) => ({ ticketTypeId: seat.ticketTypeId, holderIndex })));
  const rows = placed.map((seat) => ({
    eventId: order.eventId,
    name: order.name,
    email: order.email,
    status: 'confirmed' as const,
    tokenHash: hashToken(newToken()),
    locale: order.locale,
    orderId: order.id,
    ticketTypeId: seat.ticketTypeId,
  }));
  const inserted = await insertRegistrations(tx, rows);
  const names = order.holderDetails
    ? await nameHoldersAndLinkAnswers(
        tx,
        order.id,
        inserted.map((row, n) => ({ id: row.id, ticketTypeId: row.ticketTypeId ?? '', holderIndex: placed[n]?.holderIndex ?? 0 })),
      )
    : new Map<string, string>();
  return inserted.map((row) => ({ id: row.id, ticketTypeId: row.ticketTypeId ?? '', reference: row.reference, holder: names.get(row.id) ?? row.name }));
}

/**
 * The j-th ticket of a type is its order's j-th holder of that type: named as
 * the order gave them (ticket_holders; else it keeps the buyer's name), and
 * given the holder's answers (lib/questions wrote them with the order), in
 * one statement: this runs under the event's lock, where each round trip is
 * paid by every writer queued behind, and the commit's check
 * (registrations_required_answers) wants each confirmed ticket's answers on it.
 * Returns the names given, by ticket id.
 */
async function nameHoldersAndLinkAnswers(tx: Tx, orderId: string, tickets: readonly { id: string; ticketTypeId: string; holderIndex: number }[]): Promise<Map<string, string>> {
  if (tickets.length === 0) return new Map();
  // uuids and small integers hold no comma, brace or quote: the array literals are exact.
  const ids = `{${tickets.map((t) => t.id).join(',')}}`;
  const types = `{${tickets.map((t) => t.ticketTypeId).join(',')}}`;
  const indexes = `{${tickets.map((t) => t.holderIndex).join(',')}}`;
  const result = await tx.execute<{ id: string; name: string }>(sql`
    with t as (
      select * from unnest(${ids}::uuid[], ${types}::uuid[], ${indexes}::int[]) as t(id, type_id, holder_index)
    ), named as (
      update ${registrations} r set name = h.name
      from t join ${ticketHolders} h on h.order_id = ${orderId}::uuid and h.ticket_type_id = t.type_id and h.holder_index = t.holder_index
      where r.id = t.id
      returning r.id, r.name
    ), linked as (
      update ${answers} a set registration_id = t.id, updated_at = now()
      from t
      where a.order_id = ${orderId}::uuid and a.ticket_type_id = t.type_id and a.holder_index = t.holder_index
      returning a.id
    )
    select id, name from named`);
  return new Map(result.rows.map((row) => [row.id, row.name]));
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
