// The organiser's business rules for events. Every function takes the
// transaction of the idempotency layer, so the event write, the credit spent
// and the record's completion commit together or not at all.
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@/lib/db/pool';
import { events, eventUpgrades, type EventRow, type EventStatus } from '@/lib/db/schema';
import { getPlanAndBalance, spendCredit } from '@/lib/billing/credits';
import { effectiveLimit, PLAN_LIMITS, UPGRADED_EVENT_LIMIT } from '@/lib/billing/plans';
import { AppError, invalidField } from '@/lib/errors';
import { clock } from '@/lib/clock';
import { enqueueForEvent } from '@/lib/outbox/enqueue';
import { emitWebhook } from '@/lib/webhooks/emit';
import { recordAudit, type AuditActor } from '@/lib/audit';
import { lockEvent, locationColumns, seatsHeld, toEventDto, toEventSnapshot } from './event-row';
import { deleteAfterCommit } from './cover';
import { upgradeLimitOf } from './queries';
import { newEventSlug } from './slug';
import type { CreateEventData, EventWrite, UpdateEventData } from './schemas';

export type Actor = { teamId: string; idempotencyKeyId: string | null; confirmCredit: boolean };

const ALLOWED_TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['draft', 'published', 'cancelled'],
  published: ['published', 'cancelled'],
  cancelled: ['cancelled'],
};

type CreditCheck = { balance: number; requested: number; planLimit: number; confirmCredit: boolean };

/**
 * The credit step for a write that leaves a published event over its limit:
 * without enough balance 402 INSUFFICIENT_CREDITS, without the flag 402
 * CREDIT_CONFIRMATION_REQUIRED (eventCreditConfirmation: the layer keeps the record awaiting), with it
 * go on and spend.
 */
function requireCreditConsent(check: CreditCheck): void {
  if (check.requested > UPGRADED_EVENT_LIMIT) throw invalidField('maxParticipants', 'overUpgradeLimit');
  const details = { creditsRequired: 1, balance: check.balance, planLimit: check.planLimit, requested: check.requested };
  if (check.balance < 1) throw new AppError('INSUFFICIENT_CREDITS', { details });
  if (!check.confirmCredit) throw new AppError('CREDIT_CONFIRMATION_REQUIRED', { details });
}

/** Spends the credit and records the upgrade; 402 if the balance went in the meantime. */
async function upgradeEvent(tx: Tx, actor: Actor, event: EventRow, planLimit: number): Promise<number> {
  const spent = await spendCredit(tx, {
    teamId: actor.teamId,
    eventId: event.id,
    idempotencyKeyId: actor.idempotencyKeyId,
    reason: 'event_upgrade',
  });
  if (!spent) {
    throw new AppError('INSUFFICIENT_CREDITS', {
      details: { creditsRequired: 1, balance: 0, planLimit, requested: event.maxParticipants },
    });
  }
  await tx.insert(eventUpgrades).values({
    eventId: event.id,
    teamId: actor.teamId,
    participantLimit: UPGRADED_EVENT_LIMIT,
    ledgerId: spent.ledgerId,
  });
  return spent.balance;
}

export async function createEvent(tx: Tx, actor: Actor, input: CreateEventData): Promise<EventWrite> {
  const { plan, balance } = await getPlanAndBalance(tx, actor.teamId);
  const planLimit = PLAN_LIMITS[plan];
  const needsCredit = input.status === 'published' && input.maxParticipants > effectiveLimit(plan, null);
  if (needsCredit) {
    requireCreditConsent({
      balance,
      requested: input.maxParticipants,
      planLimit,
      confirmCredit: actor.confirmCredit,
    });
  }
  const [event] = await tx
    .insert(events)
    .values({
      teamId: actor.teamId,
      slug: newEventSlug(input.title),
      title: input.title,
      description: input.description,
      startsAt: new Date(input.startsAt),
      endsAt: new Date(input.endsAt),
      timezone: input.timezone,
      ...locationColumns(input.location),
      maxParticipants: input.maxParticipants,
      visibility: input.visibility,
      waitlist: input.waitlist,
      status: input.status,
    })
    .returning();
  if (!event) throw new Error('insert into events returned no row');
  const balanceAfter = needsCredit ? await upgradeEvent(tx, actor, event, planLimit) : balance;
  return { event: toEventDto(event), credit: { charged: needsCredit, balance: balanceAfter } };
}

/**
 * What raising a locked event's capacity does to its waitlist, given by the
 * caller (lib/registrations' `fillFreeSeats`: registrations build on events,
 * never the reverse). Returns the event as it is afterwards.
 */
export type FillFreeSeats = (tx: Tx, event: EventRow) => Promise<EventRow>;

export type EventUpdate = {
  actor: Actor;
  /** Who asks, for the audit log (a capacity change, a cancellation). */
  by: AuditActor;
  eventId: string;
  /** The version the client edited (If-Match): not given → 428, another one → 412. */
  expectedVersion: { given: boolean; version: number | null };
  patch: UpdateEventData;
  fillFreeSeats: FillFreeSeats;
};

export async function updateEvent(tx: Tx, { actor, by, eventId, expectedVersion, patch, fillFreeSeats }: EventUpdate): Promise<EventWrite> {
  const current = await lockEvent(tx, { id: eventId, teamId: actor.teamId });
  if (!current) throw new AppError('NOT_FOUND');
  if (!expectedVersion.given) throw new AppError('PRECONDITION_REQUIRED');
  if (expectedVersion.version !== current.version) {
    throw new AppError('VERSION_CONFLICT', { details: { currentVersion: current.version } });
  }

  const status = patch.status ?? current.status;
  if (!ALLOWED_TRANSITIONS[current.status].includes(status)) throw invalidField('status', 'statusTransition');
  const startsAt = patch.startsAt ? new Date(patch.startsAt) : current.startsAt;
  const endsAt = patch.endsAt ? new Date(patch.endsAt) : current.endsAt;
  if (endsAt <= startsAt) throw invalidField('endsAt', 'endsAfterStarts');
  const becomesPublished = status === 'published' && current.status !== 'published';
  if ((becomesPublished || (status === 'published' && patch.startsAt)) && startsAt.getTime() <= clock().now()) {
    throw invalidField('startsAt', 'startsInFuture');
  }

  const maxParticipants = patch.maxParticipants ?? current.maxParticipants;
  // The row is locked: neither its confirmed count nor the seats orders hold can grow before this write commits.
  if (maxParticipants < current.maxParticipants) {
    const held = await seatsHeld(tx, current.id);
    if (maxParticipants < current.confirmedCount + held) {
      throw new AppError('CAPACITY_BELOW_CONFIRMED', { details: { confirmed: current.confirmedCount, held } });
    }
  }
  const { plan, balance } = await getPlanAndBalance(tx, actor.teamId);
  const upgradeLimit = await upgradeLimitOf(tx, current.id);
  const limit = effectiveLimit(plan, upgradeLimit);
  const raisesCapacity = maxParticipants > current.maxParticipants;
  // Over the limit after the write, and the write is what put it there.
  const needsCredit = status === 'published' && maxParticipants > limit && (becomesPublished || raisesCapacity);
  if (needsCredit) {
    // An upgraded event cannot be upgraded again: past its limit, no credit helps.
    if (upgradeLimit !== null) throw invalidField('maxParticipants', 'overUpgradeLimit');
    requireCreditConsent({
      balance,
      requested: maxParticipants,
      planLimit: PLAN_LIMITS[plan],
      confirmCredit: actor.confirmCredit,
    });
  }

  const [event] = await tx
    .update(events)
    .set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.timezone !== undefined && { timezone: patch.timezone }),
      ...(patch.location !== undefined && locationColumns(patch.location)),
      ...(patch.visibility !== undefined && { visibility: patch.visibility }),
      ...(patch.waitlist !== undefined && { waitlist: patch.waitlist }),
      startsAt,
      endsAt,
      maxParticipants,
      status,
      version: sql`${events.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(events.id, current.id))
    .returning();
  if (!event) throw new Error('update of events returned no row');
  const balanceAfter = needsCredit ? await upgradeEvent(tx, actor, event, PLAN_LIMITS[plan]) : balance;
  await mailRegistrantsAboutChange(tx, current, event);
  // More seats: the waitlist moves up, in order, in this transaction.
  const filled = raisesCapacity ? await fillFreeSeats(tx, event) : event;
  const dto = toEventDto(filled);
  // The organiser's integrations hear of it in the same transaction (docs/api.md, "Integrations").
  const cancelled = current.status !== 'cancelled' && filled.status === 'cancelled';
  await emitWebhook(tx, { teamId: filled.teamId, type: cancelled ? 'event.cancelled' : 'event.updated', data: { event: dto } });
  // The audit log (docs/api.md, "Teams, roles and door devices"), in this transaction.
  const target = { type: 'event', id: filled.id };
  if (maxParticipants !== current.maxParticipants) {
    await recordAudit(tx, { teamId: filled.teamId, actor: by, action: 'event.capacity_changed', target, details: { title: filled.title, from: current.maxParticipants, to: maxParticipants } });
  }
  if (cancelled) {
    await recordAudit(tx, { teamId: filled.teamId, actor: by, action: 'event.cancelled', target, details: { title: filled.title, from: current.status } });
  }
  return { event: dto, credit: { charged: needsCredit, balance: balanceAfter } };
}

function whenOrWhereChanged(before: EventRow, after: EventRow): boolean {
  return (
    before.startsAt.getTime() !== after.startsAt.getTime() ||
    before.endsAt.getTime() !== after.endsAt.getTime() ||
    before.timezone !== after.timezone ||
    before.locationType !== after.locationType ||
    before.locationAddress !== after.locationAddress ||
    before.locationUrl !== after.locationUrl
  );
}

/**
 * The mails an edit of a published event causes, in its transaction:
 * cancelled → every confirmed and waitlisted registrant; time or place changed
 * → every confirmed registrant, with the old time and place.
 */
async function mailRegistrantsAboutChange(tx: Tx, before: EventRow, after: EventRow): Promise<void> {
  if (before.status !== 'published') return;
  if (after.status === 'cancelled') {
    await enqueueForEvent(tx, 'event_cancelled', toEventSnapshot(after), ['confirmed', 'waitlisted']);
  } else if (whenOrWhereChanged(before, after)) {
    const { startsAt, endsAt, timezone, location } = toEventSnapshot(before);
    await enqueueForEvent(tx, 'event_changed', toEventSnapshot(after), ['confirmed'], { startsAt, endsAt, timezone, location });
  }
}

/** Only drafts can be deleted; a published event is cancelled instead. */
export async function deleteEvent(tx: Tx, actor: Actor, eventId: string): Promise<void> {
  const current = await lockEvent(tx, { id: eventId, teamId: actor.teamId });
  if (!current) throw new AppError('NOT_FOUND');
  if (current.status !== 'draft') throw new AppError('EVENT_NOT_DRAFT');
  await tx.delete(events).where(eq(events.id, current.id));
  deleteAfterCommit(tx, current.coverName, null);
}
