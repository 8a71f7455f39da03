// The owner of questions and their versions (docs/api.md, "Questions"): the
// organiser creates, edits, reorders and deletes them under the event's row
// lock (as every writer of the event's registrations, so a registration sees
// a question whole or not at all). Every edit is a new version: the
// question_versions row an answer names keeps the label and the option labels
// it was given under.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { events, questions, questionVersions, ticketTypes, type QuestionRow } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { lockEvent, readEvent } from '@/lib/events/event-row';
import { isUuid } from '@/lib/ids';
import { isSlug } from '@/lib/events/slug';
import {
  QUESTIONS_PER_EVENT_MAX,
  type CreateQuestionData,
  type PublicQuestionDto,
  type QuestionDto,
  type ReorderQuestionsData,
  type UpdateQuestionData,
} from './schemas';

export type EventOwner = { eventId: string; teamId: string };

export function toQuestionDto(row: QuestionRow): QuestionDto {
  return {
    id: row.id,
    label: row.label,
    help: row.help,
    kind: row.kind,
    options: row.options,
    required: row.required,
    per: row.per,
    ticketTypeIds: row.ticketTypeIds,
    position: row.position,
    version: row.version,
  };
}

export function toPublicQuestionDto(row: QuestionRow): PublicQuestionDto {
  const { position: _position, version: _version, ...rest } = toQuestionDto(row);
  return rest;
}

/** The event's live questions, in the order the guest's form asks them. */
export function liveQuestionRows(db: Queryable, eventId: string): Promise<QuestionRow[]> {
  return db
    .select()
    .from(questions)
    .where(and(eq(questions.eventId, eventId), isNull(questions.deletedAt)))
    .orderBy(asc(questions.position), asc(questions.createdAt));
}

/**
 * The live questions of the event behind a public slug, read before the
 * event's lock (each round trip under it is paid by every registration queued
 * behind): a question added meanwhile was not current when this registration
 * began, so the database does not ask it of this one either.
 */
export async function liveQuestionsBySlug(db: Queryable, slug: string): Promise<QuestionRow[]> {
  if (!isSlug(slug)) return [];
  return db
    .select({ q: questions })
    .from(questions)
    .innerJoin(events, eq(events.id, questions.eventId))
    .where(and(eq(events.slug, slug), isNull(questions.deletedAt)))
    .orderBy(asc(questions.position), asc(questions.createdAt))
    .then((rows) => rows.map((row) => row.q));
}

export async function publicQuestions(db: Queryable, eventId: string): Promise<PublicQuestionDto[]> {
  return (await liveQuestionRows(db, eventId)).map(toPublicQuestionDto);
}

export async function listQuestions(db: Queryable, { eventId, teamId }: EventOwner): Promise<QuestionDto[] | null> {
  if (!isUuid(eventId)) return null;
  const event = await readEvent(db, { id: eventId, teamId });
  if (!event) return null;
  return (await liveQuestionRows(db, event.id)).map(toQuestionDto);
}

async function lockOwnEvent(tx: Tx, { eventId, teamId }: EventOwner) {
  const event = isUuid(eventId) ? await lockEvent(tx, { id: eventId, teamId }) : null;
  if (!event) throw new AppError('NOT_FOUND');
  return event;
}

/** Every named ticket type is one of the event's. */
async function assertTicketTypes(tx: Tx, eventId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: ticketTypes.id })
    .from(ticketTypes)
    .where(and(eq(ticketTypes.eventId, eventId), inArray(ticketTypes.id, [...ids])));
  if (found.length !== ids.length) throw new AppError('VALIDATION_FAILED', { fieldErrors: { ticketTypeIds: ['questionTicketTypes'] } });
}

/**
 * Written under the event's lock, stamped with the moment of the write
 * (clock_timestamp(), not the transaction's start): an order or registration
 * reads the questions under the same lock, so every version the database's
 * trigger holds it to (created at or before the guest's transaction began) was
 * committed before the guest's form was checked against it.
 */
async function writeVersion(tx: Tx, row: QuestionRow): Promise<void> {
  await tx.insert(questionVersions).values({
    createdAt: sql`clock_timestamp()`,
    questionId: row.id,
    version: row.version,
    label: row.label,
    help: row.help,
    kind: row.kind,
    options: row.options,
    required: row.required,
    per: row.per,
    ticketTypeIds: row.ticketTypeIds,
  });
}

async function lockQuestion(tx: Tx, eventId: string, questionId: string): Promise<QuestionRow> {
  const [row] = isUuid(questionId)
    ? await tx
        .select()
        .from(questions)
        .where(and(eq(questions.id, questionId), eq(questions.eventId, eventId), isNull(questions.deletedAt)))
        .for('update')
        .limit(1)
    : [];
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function createQuestion(tx: Tx, owner: EventOwner, input: CreateQuestionData): Promise<QuestionDto> {
  const event = await lockOwnEvent(tx, owner);
  const ticketTypeIds = input.ticketTypeIds ?? [];
  await assertTicketTypes(tx, event.id, ticketTypeIds);
  const live = await liveQuestionRows(tx, event.id);
  if (live.length >= QUESTIONS_PER_EVENT_MAX) throw new AppError('VALIDATION_FAILED', { fieldErrors: { label: ['questionsTooMany'] } });
  const position = live.reduce((max, q) => Math.max(max, q.position + 1), 0);
  const [row] = await tx
    .insert(questions)
    .values({
      eventId: event.id,
      label: input.label,
      help: input.help ?? '',
      kind: input.kind,
      options: (input.options ?? []).map((option) => ({ id: randomUUID(), label: option.label })),
      required: input.required ?? false,
      per: input.per ?? 'order',
      ticketTypeIds,
      position,
    })
    .returning();
  if (!row) throw new Error('insert into questions returned no row');
  await writeVersion(tx, row);
  return toQuestionDto(row);
}

export async function updateQuestion(tx: Tx, owner: EventOwner & { questionId: string }, patch: UpdateQuestionData): Promise<QuestionDto> {
  const event = await lockOwnEvent(tx, owner);
  const current = await lockQuestion(tx, event.id, owner.questionId);
  const kind = patch.kind ?? current.kind;
  let options = current.options;
  if (patch.options) {
    const known = new Set(current.options.map((o) => o.id));
    if (patch.options.some((o) => o.id !== undefined && !known.has(o.id))) {
      throw new AppError('VALIDATION_FAILED', { fieldErrors: { options: ['questionOptions'] } });
    }
    options = patch.options.map((o) => ({ id: o.id ?? randomUUID(), label: o.label }));
  }
  const isChoice = kind === 'choice' || kind === 'multi_choice';
  if (!isChoice && patch.options === undefined) options = [];
  if (isChoice !== options.length > 0) throw new AppError('VALIDATION_FAILED', { fieldErrors: { options: ['questionOptions'] } });
  if (patch.ticketTypeIds) await assertTicketTypes(tx, event.id, patch.ticketTypeIds);
  const [row] = await tx
    .update(questions)
    .set({
      ...(patch.label !== undefined && { label: patch.label }),
      ...(patch.help !== undefined && { help: patch.help }),
      ...(patch.required !== undefined && { required: patch.required }),
      ...(patch.per !== undefined && { per: patch.per }),
      ...(patch.ticketTypeIds !== undefined && { ticketTypeIds: patch.ticketTypeIds }),
      kind,
      options,
      version: sql`${questions.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(eq(questions.id, current.id))
    .returning();
  if (!row) throw new Error('update of questions returned no row');
  await writeVersion(tx, row);
  return toQuestionDto(row);
}

/** Off new forms; the answers given stay, with the version they answered. */
export async function deleteQuestion(tx: Tx, owner: EventOwner & { questionId: string }): Promise<void> {
  const event = await lockOwnEvent(tx, owner);
  const current = await lockQuestion(tx, event.id, owner.questionId);
  await tx.update(questions).set({ deletedAt: sql`now()`, updatedAt: sql`now()` }).where(eq(questions.id, current.id));
}

/** `ids` names every live question of the event once: the new order. */
export async function reorderQuestions(tx: Tx, owner: EventOwner, { ids }: ReorderQuestionsData): Promise<QuestionDto[]> {
  const event = await lockOwnEvent(tx, owner);
  const live = await liveQuestionRows(tx, event.id);
  const liveIds = new Set(live.map((q) => q.id));
  if (ids.length !== live.length || ids.some((id) => !liveIds.has(id))) {
    throw new AppError('VALIDATION_FAILED', { fieldErrors: { ids: ['questionOrder'] } });
  }
  if (ids.length > 0) {
    const list = `{${ids.join(',')}}`;
    await tx.execute(
      sql`update ${questions} set position = o.position - 1, updated_at = now() from unnest(${list}::uuid[]) with ordinality as o(id, position) where ${questions.id} = o.id`,
    );
  }
  return (await liveQuestionRows(tx, event.id)).map(toQuestionDto);
}

/** Every question of the event with its current label, for the CSV: the live ones in order, then the deleted (their answers stay). */
export async function questionColumnsOf(db: Queryable, eventId: string): Promise<{ id: string; label: string }[]> {
  return db
    .select({ id: questions.id, label: questions.label })
    .from(questions)
    .where(eq(questions.eventId, eventId))
    .orderBy(sql`${questions.deletedAt} is not null`, asc(questions.position), asc(questions.createdAt));
}
