// Questions for guests (docs/api.md, "Questions"): the organiser's schemas,
// the answers a guest sends, the per-kind check of one answer, and the shapes
// the API answers with. Browser-safe: the guest's form checks an answer with
// the same `checkAnswer` the server runs before it writes anything.
import { z } from '@/lib/zod';
import { QUESTION_KINDS, QUESTION_PER, type QuestionKind, type QuestionPer } from '@/lib/enums';

export const QUESTION_LABEL_MAX = 200;
export const QUESTION_HELP_MAX = 500;
export const QUESTION_OPTIONS_MAX = 50;
export const QUESTIONS_PER_EVENT_MAX = 50;
/** The longest answer of each free-text kind (docs/api.md). */
export const ANSWER_MAX: Record<'text' | 'long_text', number> = { text: 500, long_text: 5000 };

export type QuestionOptionDto = { id: string; label: string };

const label = z.string({ error: 'required' }).trim().min(1, 'required').max(QUESTION_LABEL_MAX, 'questionLabel');
const optionLabel = z.string({ error: 'required' }).trim().min(1, 'required').max(QUESTION_LABEL_MAX, 'questionLabel');

const questionFields = {
  label,
  help: z.string({ error: 'invalid' }).trim().max(QUESTION_HELP_MAX, 'questionHelp').optional(),
  kind: z.enum(QUESTION_KINDS, { error: 'invalid' }),
  required: z.boolean({ error: 'invalid' }).optional(),
  per: z.enum(QUESTION_PER, { error: 'invalid' }).optional(),
  ticketTypeIds: z
    .array(z.uuid({ error: 'invalid' }), { error: 'invalid' })
    .max(100, 'invalid')
    .refine((ids) => new Set(ids).size === ids.length, 'invalid')
    .optional(),
};

const isChoice = (kind: QuestionKind): boolean => kind === 'choice' || kind === 'multi_choice';

/** A choice needs options; any other kind has none. */
function optionsFitKind(kind: QuestionKind, options: readonly unknown[] | undefined, ctx: z.RefinementCtx): void {
  const n = options?.length ?? 0;
  if (isChoice(kind) && n === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'questionOptions' });
  if (!isChoice(kind) && n > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'questionOptions' });
}

/** On create, options are labels only: the server gives each an id. */
export const createQuestionSchema = z
  .strictObject(
    {
      ...questionFields,
      options: z
        .array(z.strictObject({ label: optionLabel }, { error: 'invalid' }), { error: 'invalid' })
        .max(QUESTION_OPTIONS_MAX, 'questionOptions')
        .optional(),
    },
    { error: 'invalid' },
  )
  .superRefine((q, ctx) => optionsFitKind(q.kind, q.options, ctx));
export type CreateQuestionInput = z.input<typeof createQuestionSchema>;
export type CreateQuestionData = z.output<typeof createQuestionSchema>;

/** On edit, an option with an `id` keeps it (its answers read its new label); one without is new. */
export const updateQuestionSchema = z
  .strictObject(
    {
      label: label.optional(),
      help: questionFields.help,
      kind: questionFields.kind.optional(),
      required: questionFields.required,
      per: questionFields.per,
      ticketTypeIds: questionFields.ticketTypeIds,
      options: z
        .array(z.strictObject({ id: z.uuid({ error: 'invalid' }).optional(), label: optionLabel }, { error: 'invalid' }), { error: 'invalid' })
        .max(QUESTION_OPTIONS_MAX, 'questionOptions')
        .refine((options) => {
          const ids = options.flatMap((o) => (o.id ? [o.id] : []));
          return new Set(ids).size === ids.length;
        }, 'questionOptions')
        .optional(),
    },
    { error: 'invalid' },
  )
  .refine((patch) => Object.keys(patch).length > 0, 'emptyPatch');
export type UpdateQuestionInput = z.input<typeof updateQuestionSchema>;
export type UpdateQuestionData = z.output<typeof updateQuestionSchema>;

export const reorderQuestionsSchema = z.strictObject(
  {
    ids: z
      .array(z.uuid({ error: 'invalid' }), { error: 'questionOrder' })
      .max(QUESTIONS_PER_EVENT_MAX, 'questionOrder')
      .refine((ids) => new Set(ids).size === ids.length, 'questionOrder'),
  },
  { error: 'invalid' },
);
export type ReorderQuestionsData = z.output<typeof reorderQuestionsSchema>;

// ---- answers, as a guest sends them ---------------------------------------------

/** `{ <questionId>: value }`; each value is checked against its question by `checkAnswer`. */
export const answersInputSchema = z.record(z.string().max(64, 'invalid'), z.unknown(), { error: 'invalid' }).refine((a) => Object.keys(a).length <= 100, 'invalid');
export type AnswersInput = Record<string, unknown>;

/** One ticket's holder: a name for the ticket (the buyer's when absent) and the answers asked per ticket. */
export const holderInputSchema = z.strictObject(
  {
    name: z.string({ error: 'required' }).trim().min(1, 'required').max(100, 'nameTooLong').optional(),
    answers: answersInputSchema.optional(),
  },
  { error: 'invalid' },
);
export type HolderInput = z.output<typeof holderInputSchema>;

/** PATCH /api/public/registrations/:token/answers */
export const editRegistrationAnswersSchema = z.strictObject({ answers: answersInputSchema }, { error: 'invalid' });
export type EditRegistrationAnswersData = z.output<typeof editRegistrationAnswersSchema>;

/** PATCH /api/public/orders/:token/answers: `holders` by ticket id. */
export const editOrderAnswersSchema = z.strictObject(
  {
    answers: answersInputSchema.optional(),
    holders: z.record(z.uuid({ error: 'invalid' }), answersInputSchema, { error: 'invalid' }).optional(),
  },
  { error: 'invalid' },
);
export type EditOrderAnswersData = z.output<typeof editOrderAnswersSchema>;

// ---- one answer checked against its question ---------------------------------------

export type AnswerValue = string | number | boolean | string[];

/** What a question is, for checking an answer to it. */
export type AskedQuestion = { id: string; kind: QuestionKind; required: boolean; options: readonly QuestionOptionDto[] };

/** The answer as it is stored (`value`) and read (`text`); `missing` when nothing was given; `error`: a message key under `validation`. */
export type CheckedAnswer = { missing: true } | { missing: false; value: AnswerValue } | { error: string };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2200 && at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

/** Checks one answer against its question (docs/api.md: the value of each kind). */
export function checkAnswer(question: AskedQuestion, raw: unknown): CheckedAnswer {
  const missing = (): CheckedAnswer => (question.required ? { error: question.kind === 'checkbox' ? 'consent' : 'required' } : { missing: true });
  if (raw === undefined || raw === null) return missing();
  switch (question.kind) {
    case 'text':
    case 'long_text': {
      if (typeof raw !== 'string') return { error: 'invalid' };
      const text = raw.trim();
      if (text === '') return missing();
      if (text.length > ANSWER_MAX[question.kind]) return { error: question.kind === 'text' ? 'answerTooLong' : 'longAnswerTooLong' };
      return { missing: false, value: text };
    }
    case 'choice': {
      if (raw === '') return missing();
      if (typeof raw !== 'string' || !question.options.some((o) => o.id === raw)) return { error: 'choice' };
      return { missing: false, value: raw };
    }
    case 'multi_choice': {
      if (!Array.isArray(raw)) return { error: 'choice' };
      if (raw.length === 0) return missing();
      const ids = new Set<string>();
      for (const id of raw) {
        if (typeof id !== 'string' || !question.options.some((o) => o.id === id)) return { error: 'choice' };
        ids.add(id);
      }
      // Kept in the options' order, each once.
      return { missing: false, value: question.options.filter((o) => ids.has(o.id)).map((o) => o.id) };
    }
    case 'checkbox': {
      if (typeof raw !== 'boolean') return { error: 'invalid' };
      if (!raw && question.required) return { error: 'consent' };
      return { missing: false, value: raw };
    }
    case 'number': {
      if (raw === '') return missing();
      if (typeof raw !== 'number' || !Number.isFinite(raw) || Math.abs(raw) > 1e12) return { error: 'number' };
      return { missing: false, value: raw };
    }
    case 'date': {
      if (raw === '') return missing();
      if (typeof raw !== 'string' || !isRealDate(raw)) return { error: 'date' };
      return { missing: false, value: raw };
    }
  }
}

/** What a person reads of a stored answer: option labels for choices (those of the version answered). */
export function answerText(question: { kind: QuestionKind; options: readonly QuestionOptionDto[] }, value: AnswerValue): string {
  const labelOf = (id: string) => question.options.find((o) => o.id === id)?.label ?? id;
  switch (question.kind) {
    case 'choice':
      return typeof value === 'string' ? labelOf(value) : '';
    case 'multi_choice':
      return Array.isArray(value) ? value.map(labelOf).join(', ') : '';
    case 'checkbox':
      return value === true ? 'yes' : 'no';
    default:
      return String(value);
  }
}

// ---- what the API answers with -----------------------------------------------------

/** A question as its organiser sees it. */
export type QuestionDto = {
  id: string;
  label: string;
  help: string;
  kind: QuestionKind;
  options: QuestionOptionDto[];
  required: boolean;
  per: QuestionPer;
  ticketTypeIds: string[];
  position: number;
  version: number;
};

/** A question as the guest's form asks it. */
export type PublicQuestionDto = Omit<QuestionDto, 'position' | 'version'>;

/** An answer as it was given: the label and text of the version answered. */
export type AnswerDto = { questionId: string; version: number; label: string; value: AnswerValue | null; text: string | null };

/** What a page shows of an answer: a consent in the reader's words (`yes` / `no` given), else its text as answered; null when erased. */
export function shownAnswer(answer: Pick<AnswerDto, 'value' | 'text'>, words: { yes: string; no: string }): string | null {
  if (answer.text === null) return null;
  return typeof answer.value === 'boolean' ? (answer.value ? words.yes : words.no) : answer.text;
}
