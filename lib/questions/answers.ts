// The owner of answers (docs/api.md, "Questions"): checks what a guest sent
// against the questions asked (a 400 with `fieldErrors` at the exact path of
// each wrong or missing answer, before anything is written), and writes the
// answers in the caller's transaction, the one that writes the registration
// or the order: saved with it or not at all. The database refuses, at the
// commit, a confirmed registration without its required answers
// (registrations_required_answers), so no path can skip this.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Queryable, Tx } from '@/lib/db/pool';
import { answers, questions, questionVersions, ticketHolders, type AnswerRow, type QuestionRow } from '@/lib/db/schema';
import { AppError, type FieldErrors } from '@/lib/errors';
import { answerText, checkAnswer, type AnswerDto, type AnswersInput, type AnswerValue, type HolderInput } from './schemas';

/** An answer checked and ready to be written: its question as it is now, the value, the text a person reads. */
export type CheckedAnswer = { question: QuestionRow; value: AnswerValue; text: string };

/** Checks `input` against `asked`, adding an error at `<prefix>.<questionId>` for each wrong or missing answer. */
function checkAll(asked: readonly QuestionRow[], input: AnswersInput | undefined, prefix: string, errors: FieldErrors): CheckedAnswer[] {
  const given = input ?? {};
  const askedIds = new Set(asked.map((q) => q.id));
  for (const key of Object.keys(given)) {
    if (!askedIds.has(key)) errors[`${prefix}.${key}`] = ['invalid'];
  }
  const out: CheckedAnswer[] = [];
  for (const question of asked) {
    const checked = checkAnswer(question, given[question.id]);
    if ('error' in checked) errors[`${prefix}.${question.id}`] = [checked.error];
    else if (!checked.missing) out.push({ question, value: checked.value, text: answerText(question, checked.value) });
  }
  return out;
}

function failIf(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new AppError('VALIDATION_FAILED', { fieldErrors: errors });
}

/** What a free registration is asked: the questions of no particular ticket type. */
export function askedOfRegistration(live: readonly QuestionRow[]): QuestionRow[] {
  return live.filter((q) => q.ticketTypeIds.length === 0);
}

/** A free registration's answers, checked (`answers.<questionId>`). */
export function checkRegistrationAnswers(live: readonly QuestionRow[], input: AnswersInput | undefined): CheckedAnswer[] {
  const errors: FieldErrors = {};
  const checked = checkAll(askedOfRegistration(live), input, 'answers', errors);
  failIf(errors);
  return checked;
}

const appliesTo = (q: QuestionRow, ticketTypeId: string) => q.ticketTypeIds.length === 0 || q.ticketTypeIds.includes(ticketTypeId);

export type OrderItemInput = { ticketTypeId: string; quantity: number; holders?: HolderInput[] | undefined };
export type CheckedHolder = { ticketTypeId: string; holderIndex: number; name: string | null; answers: CheckedAnswer[] };
export type CheckedOrderAnswers = { answers: CheckedAnswer[]; holders: CheckedHolder[] };

/**
 * An order's answers, checked: per order at `answers.<qid>` (the questions of
 * no type or of a type ordered), per ticket at
 * `items.<i>.holders.<j>.answers.<qid>` (one holder per ticket of item i).
 */
export function checkOrderAnswers(live: readonly QuestionRow[], input: { answers?: AnswersInput | undefined; items: readonly OrderItemInput[] }): CheckedOrderAnswers {
  const errors: FieldErrors = {};
  const ordered = input.items.map((item) => item.ticketTypeId);
  const perOrder = live.filter((q) => q.per === 'order' && (q.ticketTypeIds.length === 0 || q.ticketTypeIds.some((id) => ordered.includes(id))));
  const orderAnswers = checkAll(perOrder, input.answers, 'answers', errors);
  const holders: CheckedHolder[] = [];
  input.items.forEach((item, i) => {
    const asked = live.filter((q) => q.per === 'ticket' && appliesTo(q, item.ticketTypeId));
    if (item.holders !== undefined && item.holders.length !== item.quantity) {
      errors[`items.${i}.holders`] = ['holders'];
      return;
    }
    for (let j = 0; j < item.quantity; j += 1) {
      const holder = item.holders?.[j];
      const checked = checkAll(asked, holder?.answers, `items.${i}.holders.${j}.answers`, errors);
      holders.push({ ticketTypeId: item.ticketTypeId, holderIndex: j, name: holder?.name ?? null, answers: checked });
    }
  });
  failIf(errors);
  return { answers: orderAnswers, holders };
}

/** Answers just checked, as the API shows them (the webhook of the write that saved them). */
export function toCheckedAnswerDtos(checked: readonly CheckedAnswer[]): AnswerDto[] {
  return checked.map(({ question, value, text }) => ({ questionId: question.id, version: question.version, label: question.label, value, text }));
}

function answerRow(eventId: string, answer: CheckedAnswer) {
  return { eventId, questionId: answer.question.id, version: answer.question.version, value: answer.value, text: answer.text };
}

/** Writes a free registration's answers, in the registration's transaction. */
export async function writeRegistrationAnswers(tx: Tx, eventId: string, registrationId: string, checked: readonly CheckedAnswer[]): Promise<void> {
  if (checked.length === 0) return;
  await tx.insert(answers).values(checked.map((answer) => ({ ...answerRow(eventId, answer), registrationId })));
}

/** Writes an order's answers and its holders' names, in the order's transaction (before its tickets are issued). */
export async function writeOrderAnswers(tx: Tx, eventId: string, orderId: string, checked: CheckedOrderAnswers): Promise<void> {
  const rows = [
    ...checked.answers.map((answer) => ({ ...answerRow(eventId, answer), orderId })),
    ...checked.holders.flatMap((holder) =>
      holder.answers.map((answer) => ({ ...answerRow(eventId, answer), orderId, ticketTypeId: holder.ticketTypeId, holderIndex: holder.holderIndex })),
    ),
  ];
  if (rows.length > 0) await tx.insert(answers).values(rows);
  const named = checked.holders.flatMap((h) => (h.name === null ? [] : [{ orderId, ticketTypeId: h.ticketTypeId, holderIndex: h.holderIndex, name: h.name }]));
  if (named.length > 0) await tx.insert(ticketHolders).values(named);
}

// ---- reads -------------------------------------------------------------------------

/** What a list reads of an answer: its owner, what it says, and its version's label. */
const answerColumns = {
  registrationId: answers.registrationId,
  orderId: answers.orderId,
  questionId: answers.questionId,
  version: answers.version,
  value: answers.value,
  text: answers.text,
  label: questionVersions.label,
};
type AnswerWithVersion = Pick<AnswerRow, 'registrationId' | 'orderId' | 'questionId' | 'version' | 'value' | 'text'> & { label: string };

function toAnswerDto(row: AnswerWithVersion): AnswerDto {
  return { questionId: row.questionId, version: row.version, label: row.label, value: row.value ?? null, text: row.text ?? null };
}

/** Answers with their version's label, in the order the questions are asked now (deleted ones last). */
function selectAnswers(db: Queryable, where: SQL | undefined) {
  return db
    .select(answerColumns)
    .from(answers)
    .innerJoin(questionVersions, and(eq(questionVersions.questionId, answers.questionId), eq(questionVersions.version, answers.version)))
    .innerJoin(questions, eq(questions.id, answers.questionId))
    .where(where)
    .orderBy(sql`${questions.deletedAt} is not null`, asc(questions.position), asc(questions.createdAt));
}

function group<K>(rows: AnswerWithVersion[], keyOf: (row: AnswerWithVersion) => K | null): Map<K, AnswerDto[]> {
  const out = new Map<K, AnswerDto[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    out.set(key, [...(out.get(key) ?? []), toAnswerDto(row)]);
  }
  return out;
}

/**
 * Each registration's answers: its own, and for a ticket its order's
 * (asked once per order). Ordered as the questions are now.
 */
export async function answersOfRegistrations(db: Queryable, rows: readonly { id: string; orderId: string | null }[]): Promise<Map<string, AnswerDto[]>> {
  if (rows.length === 0) return new Map();
  const orderIds = [...new Set(rows.flatMap((r) => (r.orderId ? [r.orderId] : [])))];
  const own = await selectAnswers(db, inArray(answers.registrationId, rows.map((r) => r.id)));
  const byRegistration = group(own, (row) => row.registrationId);
  if (orderIds.length > 0) {
    const ofOrders = await answersOfOrders(db, orderIds);
    for (const row of rows) {
      const orderAnswers = row.orderId ? ofOrders.get(row.orderId) : undefined;
      if (orderAnswers?.length) byRegistration.set(row.id, [...orderAnswers, ...(byRegistration.get(row.id) ?? [])]);
    }
  }
  return byRegistration;
}

/** Each order's answers asked once per order. */
export async function answersOfOrders(db: Queryable, orderIds: readonly string[]): Promise<Map<string, AnswerDto[]>> {
  if (orderIds.length === 0) return new Map();
  const rows = await selectAnswers(db, and(inArray(answers.orderId, [...orderIds]), isNull(answers.holderIndex)));
  return group(rows, (row) => row.orderId);
}

// ---- edits and erasure ---------------------------------------------------------------

/**
 * The guest's edit of given answers (keys absent stay as they are): each
 * checked against the question as it is now and written as its current
 * version; an optional answer sent empty is removed.
 */
export async function editAnswers(
  tx: Tx,
  owner: { eventId: string; registrationId?: string; orderId?: string },
  asked: readonly QuestionRow[],
  input: AnswersInput,
  prefix: string,
  errors: FieldErrors,
): Promise<void> {
  const askedById = new Map(asked.map((q) => [q.id, q]));
  const writes: { question: QuestionRow; value: AnswerValue | null }[] = [];
  for (const [key, raw] of Object.entries(input)) {
    const question = askedById.get(key);
    if (!question) {
      errors[`${prefix}.${key}`] = ['invalid'];
      continue;
    }
    const checked = checkAnswer(question, raw);
    if ('error' in checked) errors[`${prefix}.${key}`] = [checked.error];
    else writes.push({ question, value: checked.missing ? null : checked.value });
  }
  if (Object.keys(errors).length > 0) return;
  for (const { question, value } of writes) {
    const where = and(
      eq(answers.questionId, question.id),
      owner.registrationId ? eq(answers.registrationId, owner.registrationId) : and(eq(answers.orderId, owner.orderId ?? ''), isNull(answers.holderIndex)),
    );
    if (value === null) {
      await tx.delete(answers).where(where);
      continue;
    }
    const text = answerText(question, value);
    const updated = await tx
      .update(answers)
      .set({ value, text, version: question.version, updatedAt: sql`now()`, erasedAt: null })
      .where(where)
      .returning({ id: answers.id });
    if (updated.length === 0) {
      await tx.insert(answers).values({
        eventId: owner.eventId,
        questionId: question.id,
        version: question.version,
        value,
        text,
        ...(owner.registrationId ? { registrationId: owner.registrationId } : { orderId: owner.orderId ?? null }),
      });
    }
  }
}

/**
 * A registration's answers erased (docs/api.md, personal data): a choice's
 * value is kept apart, unlinked from anyone (so the organiser's counts still
 * add up), and every linked row keeps only that it was answered.
 */
export async function eraseAnswersOf(tx: Tx, registrationId: string): Promise<void> {
  await tx.execute(sql`
    insert into ${answers} (event_id, question_id, version, value, text, created_at)
    select a.event_id, a.question_id, a.version, a.value, a.text, a.created_at
    from ${answers} a join ${questionVersions} v on v.question_id = a.question_id and v.version = a.version
    where a.registration_id = ${registrationId} and a.erased_at is null and v.kind in ('choice', 'multi_choice', 'checkbox')`);
  await tx
    .update(answers)
    .set({ value: null, text: null, erasedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(answers.registrationId, registrationId), isNull(answers.erasedAt)));
}
