// Every new registration row goes in here (register, and an order's tickets):
// each gets a fresh reference (reference.ts). The unique index on
// (event_id, reference) is the last word: a row whose reference is taken is
// skipped (ON CONFLICT on that index only, so every other refusal, such as a
// second live registration of one email, still raises) and drawn again. The
// chance is tiny: with n references in the event a draw collides with
// probability n / 2^40, about one in 110 million for an event of 10,000
// tickets, so a second round is already rare and a fifth unheard of.
import type { Tx } from '@/lib/db/pool';
import { registrations, type RegistrationRow } from '@/lib/db/schema';
import { newReference } from './reference';

type NewRegistration = Omit<typeof registrations.$inferInsert, 'reference'> & { tokenHash: string };

const ROUNDS = 5;

/** Inserts the rows, each with a reference of its own, and returns them in the order given. */
export async function insertRegistrations(tx: Tx, rows: readonly NewRegistration[]): Promise<RegistrationRow[]> {
  const inserted = new Map<string, RegistrationRow>();
  let pending = [...rows];
  for (let round = 0; pending.length > 0; round += 1) {
    if (round === ROUNDS) throw new Error(`no free reference for ${pending.length} registration(s) after ${ROUNDS} rounds`);
    const landed = await tx
      .insert(registrations)
      .values(pending.map((row) => ({ ...row, reference: newReference() })))
      .onConflictDoNothing({ target: [registrations.eventId, registrations.reference] })
      .returning();
    for (const row of landed) inserted.set(row.tokenHash, row);
    pending = pending.filter((row) => !inserted.has(row.tokenHash));
  }
  return rows.map((row) => {
    const found = inserted.get(row.tokenHash);
    if (!found) throw new Error('insert into registrations returned no row');
    return found;
  });
}
