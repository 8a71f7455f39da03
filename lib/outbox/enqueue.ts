// Writing outbox rows. Every function takes the transaction of the change that
// causes the mail, so the row commits with it or not at all: a rolled-back
// request leaves nothing, and a replayed one (answered from its idempotency
// record without running the operation) writes nothing new. Each also asks
// for the worker of this process to be woken once that transaction commits.
// The event comes as its snapshot, shaped by the events row's owner
// (lib/events/event-row.ts, `toEventSnapshot`); the outbox only stores it.
import { sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { afterCommit, writeWithCommit } from '@/lib/db/transaction';
import { outboxMessages, type OutboxKind, type RegistrationRow } from '@/lib/db/schema';
import type { EventSnapshot, InvitationPayload, OutboxPayload } from './payload';
import { wakeMail } from '@/lib/jobs/wake';

type RegistrationKind = Extract<OutboxKind, `registration_${string}`>;

/** One mail to one registrant about their registration. */
export async function enqueueForRegistration(
  tx: Tx,
  kind: RegistrationKind,
  registration: Pick<RegistrationRow, 'id' | 'email' | 'name' | 'locale' | 'reference'>,
  event: EventSnapshot,
  extra: Pick<OutboxPayload, 'manageUrl' | 'position'> = {},
): Promise<void> {
  const payload: OutboxPayload = { name: registration.name, reference: registration.reference, event, ...extra };
  // With the COMMIT: a registration holds its event's lock until then.
  await writeWithCommit(
    tx,
    tx.insert(outboxMessages).values({
      kind,
      recipient: registration.email,
      locale: registration.locale,
      payload,
      eventId: event.id,
      registrationId: registration.id,
    }),
  );
  afterCommit(tx, wakeMail);
}

/** The same mail to several registrations at once (promotions): one INSERT … SELECT. */
export async function enqueueForRegistrationIds(tx: Tx, kind: RegistrationKind, registrationIds: string[], event: EventSnapshot): Promise<void> {
  if (registrationIds.length === 0) return;
  const shared = JSON.stringify({ event });
  const ids = sql.join(registrationIds.map((id) => sql`${id}::uuid`), sql`, `);
  await tx.execute(sql`
    insert into outbox_messages (kind, recipient, locale, payload, event_id, registration_id)
    select ${kind}, r.email, r.locale, ${shared}::jsonb || jsonb_build_object('name', r.name, 'reference', r.reference), r.event_id, r.id
    from registrations r where r.id in (${ids})
    order by r.seq`);
  afterCommit(tx, wakeMail);
}

/**
 * One mail per registration of the event in the given statuses (event changed
 * or cancelled), in one INSERT … SELECT, however many there are.
 */
export async function enqueueForEvent(
  tx: Tx,
  kind: Extract<OutboxKind, `event_${string}`>,
  event: EventSnapshot,
  statuses: readonly ('confirmed' | 'waitlisted')[],
  previous?: OutboxPayload['previous'],
): Promise<void> {
  const shared = JSON.stringify({ event, ...(previous && { previous }) });
  const wanted = sql.join(statuses.map((s) => sql`${s}`), sql`, `);
  // Tickets of an order: one mail per order, not per ticket; a
  // cancelled event's orders get their own mail with the refund (enqueueForOrder).
  const tickets = kind === 'event_cancelled' ? sql`and r.order_id is null` : sql``;
  await tx.execute(sql`
    insert into outbox_messages (kind, recipient, locale, payload, event_id, registration_id)
    select kind, email, locale, payload, event_id, id from (
      select distinct on (coalesce(r.order_id, r.id)) ${kind} as kind, r.email, r.locale,
             ${shared}::jsonb || jsonb_build_object('name', r.name) as payload, r.event_id, r.id, r.seq
      from registrations r where r.event_id = ${event.id} and r.status in (${wanted}) ${tickets}
      order by coalesce(r.order_id, r.id), r.seq
    ) one_per_order order by seq`);
  afterCommit(tx, wakeMail);
}

/** One mail to a guest about their ticket order. */
export async function enqueueForOrder(
  tx: Tx,
  kind: Extract<OutboxKind, `order_${string}`>,
  order: { email: string; name: string; locale: 'en' | 'ru' },
  event: EventSnapshot,
  extra: Pick<OutboxPayload, 'manageUrl' | 'order'>,
): Promise<void> {
  const payload: OutboxPayload = { name: order.name, event, ...extra };
  await writeWithCommit(tx, tx.insert(outboxMessages).values({ kind, recipient: order.email, locale: order.locale, payload, eventId: event.id }));
  afterCommit(tx, wakeMail);
}

/** An invitation to join a team, to an address that may have no account yet. */
export async function enqueueInvitation(tx: Tx, input: { email: string; locale: 'en' | 'ru'; payload: InvitationPayload }): Promise<void> {
  await tx.insert(outboxMessages).values({ kind: 'team_invitation', recipient: input.email, locale: input.locale, payload: input.payload });
  afterCommit(tx, wakeMail);
}
