'use client';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { checkAnswer, type AnswersInput, type PublicQuestionDto } from '@/lib/questions/schemas';
import { Input, Textarea } from '@/components/ui/input';

/** The DOM id of the control answering `path` (`answers.<qid>`, `items.0.holders.1.answers.<qid>`). */
export const fieldIdOf = (path: string) => `field-${path.replace(/\./g, '-')}`;

/** Error messages by field path, already in the reader's language. */
export type PathErrors = Record<string, string>;

/** The answers the guest gave, as the API takes them: unanswered ones left out, numbers as numbers. */
export function answersToSend(questions: readonly PublicQuestionDto[], values: AnswersInput): AnswersInput {
  const out: AnswersInput = {};
  for (const question of questions) {
    const value = values[question.id];
    if (value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0)) continue;
    out[question.id] = value;
  }
  return out;
}

/** The browser's check of the answers, the server's own (checkAnswer): message keys under `validation`, by path. */
export function answerErrorKeys(questions: readonly PublicQuestionDto[], values: AnswersInput, prefix: string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const question of questions) {
    const checked = checkAnswer(question, values[question.id]);
    if ('error' in checked) errors[`${prefix}.${question.id}`] = checked.error;
  }
  return errors;
}

/**
 * Shows the browser's check of the answers (message keys by path) in the
 * reader's words and, when any failed, moves the focus to the first invalid
 * field of `form`; whether all passed.
 */
export function showAnswerErrors(keys: Record<string, string>, message: (key: string) => string | undefined, setErrors: (errors: PathErrors) => void, form: HTMLElement | null): boolean {
  setErrors(Object.fromEntries(Object.entries(keys).map(([path, key]) => [path, message(key) ?? key])));
  if (Object.keys(keys).length === 0) return true;
  focusFirstInvalid(form);
  return false;
}

/** Moves focus to the first field marked invalid in `form` (after the errors render). */
export function focusFirstInvalid(form: HTMLElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

type Props = {
  questions: readonly PublicQuestionDto[];
  /** The answers' path: `answers`, or `items.<i>.holders.<j>.answers`. */
  prefix: string;
  values: AnswersInput;
  errors: PathErrors;
  disabled?: boolean;
  onChange: (questionId: string, value: unknown) => void;
};

/**
 * The guest's answers to `questions`: one control per kind, labelled by the
 * question, its help and its error tied to it with aria-describedby; a choice
 * is a fieldset of radios or checkboxes with the question as its legend.
 */
export function QuestionFields({ questions, prefix, values, errors, disabled, onChange }: Props) {
  return (
    <>
      {questions.map((question) => (
        <QuestionField
          key={question.id}
          question={question}
          path={`${prefix}.${question.id}`}
          value={values[question.id]}
          error={errors[`${prefix}.${question.id}`]}
          disabled={disabled}
          onChange={(value) => onChange(question.id, value)}
        />
      ))}
    </>
  );
}

function QuestionField({
  question,
  path,
  value,
  error,
  disabled,
  onChange,
}: {
  question: PublicQuestionDto;
  path: string;
  value: unknown;
  error: string | undefined;
  disabled: boolean | undefined;
  onChange: (value: unknown) => void;
}) {
  const t = useTranslations('questions');
  const id = fieldIdOf(path);
  const hintId = question.help ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = { 'aria-invalid': Boolean(error), 'aria-describedby': describedBy, disabled };
  const label = (
    <>
      {question.label}
      {question.required ? (
        <span className="text-red-700" aria-hidden="true">
          {' *'}
        </span>
      ) : (
        <span className="font-normal text-slate-600">{` ${t('optional')}`}</span>
      )}
      {question.required && <span className="sr-only">{` ${t('requiredSr')}`}</span>}
    </>
  );
  const after: ReactNode = (
    <>
      {question.help && (
        <p id={hintId} className="text-xs text-slate-600">
          {question.help}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-700" data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
  const testId = `question-${question.id}`;

  if (question.kind === 'choice' || question.kind === 'multi_choice') {
    const multi = question.kind === 'multi_choice';
    const chosen = multi ? (Array.isArray(value) ? (value as string[]) : []) : typeof value === 'string' ? value : '';
    return (
      <fieldset className="flex flex-col gap-1.5" aria-describedby={describedBy} data-testid={testId}>
        <legend className="mb-1 text-sm font-medium text-slate-800">{label}</legend>
        {question.options.map((option, n) => {
          const optionId = n === 0 ? id : `${id}-${option.id}`;
          const checked = multi ? (chosen as string[]).includes(option.id) : chosen === option.id;
          return (
            <label key={option.id} htmlFor={optionId} className="flex min-h-10 items-center gap-2 text-sm text-slate-900">
              <input
                id={optionId}
                type={multi ? 'checkbox' : 'radio'}
                name={id}
                value={option.id}
                checked={checked}
                onChange={(e) => {
                  if (!multi) return onChange(option.id);
                  const next = e.target.checked ? [...(chosen as string[]), option.id] : (chosen as string[]).filter((c) => c !== option.id);
                  onChange(next);
                }}
                className="size-4 accent-indigo-600"
                {...control}
              />
              {option.label}
            </label>
          );
        })}
        {after}
      </fieldset>
    );
  }

  if (question.kind === 'checkbox') {
    return (
      <div className="flex flex-col gap-1.5" data-testid={testId}>
        <label htmlFor={id} className="flex min-h-10 items-start gap-2 text-sm font-medium text-slate-800">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} className="mt-0.5 size-4 accent-indigo-600" {...control} />
          <span>{label}</span>
        </label>
        {after}
      </div>
    );
  }

  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  return (
    <div className="flex flex-col gap-1.5" data-testid={testId}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {question.kind === 'long_text' ? (
        <Textarea id={id} value={text} maxLength={5000} onChange={(e) => onChange(e.target.value)} {...control} />
      ) : question.kind === 'number' ? (
        <Input
          id={id}
          type="number"
          inputMode="decimal"
          step="any"
          value={text}
          onChange={(e) => onChange(e.target.value === '' ? '' : Number.isNaN(e.target.valueAsNumber) ? e.target.value : e.target.valueAsNumber)}
          {...control}
        />
      ) : question.kind === 'date' ? (
        <Input id={id} type="date" value={text} onChange={(e) => onChange(e.target.value)} {...control} />
      ) : (
        <Input id={id} type="text" value={text} maxLength={500} onChange={(e) => onChange(e.target.value)} {...control} />
      )}
      {after}
    </div>
  );
}
