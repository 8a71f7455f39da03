'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { answerErrorKeys, focusFirstInvalid, QuestionFields, showAnswerErrors, type PathErrors } from '@/components/questions/question-fields';
import { shownAnswer, type AnswerDto, type AnswersInput, type PublicQuestionDto } from '@/lib/questions/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

const REGISTRATION_ROUTE = apiRoute('PATCH', '/api/public/registrations/[token]/answers');
const ORDER_ROUTE = apiRoute('PATCH', '/api/public/orders/[token]/answers');

/**
 * One group of answers: the registration's or the order's (`id` "answers"),
 * or a ticket holder's (`holders.<ticketId>`), which is also the path of its
 * errors on the wire.
 */
export type AnswerBlock = { id: string; title: string | null; questions: PublicQuestionDto[]; answers: AnswerDto[] };

type Props = {
  token: string;
  kind: 'registration' | 'order';
  blocks: AnswerBlock[];
  /** Until the event starts (and while the registration or order stands). */
  editable: boolean;
};

/** The values to start editing from: each question's answer as given. */
function initialValues(block: AnswerBlock): AnswersInput {
  const asked = new Set(block.questions.map((q) => q.id));
  return Object.fromEntries(block.answers.filter((a) => asked.has(a.questionId) && a.value !== null).map((a) => [a.questionId, a.value]));
}

/** Every question of the block: its answer, or null (an optional one cleared; a required one refused). */
function toSend(block: AnswerBlock, values: AnswersInput): AnswersInput {
  return Object.fromEntries(
    block.questions.map((q) => {
      const value = values[q.id];
      const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (q.kind === 'checkbox' && value === false && !q.required);
      return [q.id, empty ? null : value];
    }),
  );
}

/**
 * The guest's answers on /r/<token> and /o/<token>: what they answered (as
 * they answered it), and, until the event starts, a form to change them, on
 * the ActionController (one Idempotency-Key per attempt); the page re-reads
 * after a save.
 */
export function AnswersEditor({ token, kind, blocks, editable }: Props) {
  const t = useTranslations('questions');
  const tValidation = useTranslations('validation');
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [editing, setEditing] = useState(false);
  const [values, setValues] = useState<Record<string, AnswersInput>>(() => Object.fromEntries(blocks.map((b) => [b.id, initialValues(b)])));
  const [errors, setErrors] = useState<PathErrors>({});
  const [state, controller] = useActionController<Record<string, AnswersInput>, { answers: AnswerDto[] }>((payload, { correlationId, signal }) => {
    if (kind === 'registration') return apiCall(REGISTRATION_ROUTE, { params: { token }, body: { answers: payload.answers ?? {} }, correlationId, signal });
    const holders = Object.fromEntries(Object.entries(payload).flatMap(([id, answers]) => (id.startsWith('holders.') ? [[id.slice('holders.'.length), answers]] : [])));
    return apiCall(ORDER_ROUTE, { params: { token }, body: { ...(payload.answers && { answers: payload.answers }), holders }, correlationId, signal });
  });

  const failure = state.status === 'failed' ? state.error : null;
  useEffect(() => {
    if (!failure?.fieldErrors) return;
    setErrors(Object.fromEntries(Object.entries(failure.fieldErrors).map(([field, messages]) => [field, messages.join(' ')])));
    focusFirstInvalid(formRef.current);
  }, [failure]);

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    setEditing(false);
    router.refresh();
  }, [state, router]);

  const shown = blocks.filter((b) => b.questions.length > 0 || b.answers.length > 0);
  if (shown.length === 0) return null;
  const running = state.status === 'running';

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    const keys: Record<string, string> = {};
    for (const block of blocks) Object.assign(keys, answerErrorKeys(block.questions, values[block.id] ?? {}, block.id));
    if (!showAnswerErrors(keys, (key) => (tValidation.has(key) ? tValidation(key) : key), setErrors, formRef.current)) return;
    void controller.submit(Object.fromEntries(blocks.filter((b) => b.questions.length > 0).map((b) => [b.id, toSend(b, values[b.id] ?? {})])));
  };

  return (
    <Card as="section" aria-labelledby="answers-heading" className="flex flex-col gap-4" data-testid="guest-answers">
      <CardTitle id="answers-heading">{t('yourAnswers')}</CardTitle>
      {state.status === 'succeeded' && !editing && (
        <Alert tone="success" testId="answers-saved">
          {t('saved')}
        </Alert>
      )}
      {!editing ? (
        <>
          {shown.map((block) => (
            <div key={block.id} className="flex flex-col gap-2">
              {block.title && <h3 className="text-sm font-semibold text-slate-900">{block.title}</h3>}
              {block.answers.length === 0 ? (
                <p className="text-sm text-slate-700">{t('noAnswers')}</p>
              ) : (
                <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]" data-testid="answer-list">
                  {block.answers.map((answer) => (
                    <div key={answer.questionId} className="contents">
                      <dt className="text-sm text-slate-700 break-words">{answer.label}</dt>
                      <dd className="mb-2 text-sm font-medium break-words text-slate-900 whitespace-pre-line sm:mb-0">{shownAnswer(answer, { yes: t('yes'), no: t('no') }) ?? t('erased')}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          ))}
          {editable ? (
            <Button variant="secondary" className="self-start" disabled={!hydrated} onClick={() => setEditing(true)} data-testid="edit-answers">
              {t('editAnswers')}
            </Button>
          ) : (
            <p className="text-sm text-slate-700">{t('editClosed')}</p>
          )}
        </>
      ) : (
        <form ref={formRef} onSubmit={save} noValidate className="flex flex-col gap-4" data-testid="answers-form">
          {state.status === 'failed' && (
            <Alert tone="error" testId="form-error">
              {state.error.code === 'VALIDATION_FAILED' ? t('fixFields') : errorText(state.error)}
            </Alert>
          )}
          {blocks
            .filter((b) => b.questions.length > 0)
            .map((block) => (
              <fieldset key={block.id} className="flex flex-col gap-4">
                <legend className={block.title ? 'mb-2 text-sm font-semibold text-slate-900' : 'sr-only'}>{block.title ?? t('yourAnswers')}</legend>
                <QuestionFields
                  questions={block.questions}
                  prefix={block.id}
                  values={values[block.id] ?? {}}
                  errors={errors}
                  disabled={running}
                  onChange={(questionId, value) => {
                    setValues((current) => ({ ...current, [block.id]: { ...current[block.id], [questionId]: value } }));
                    setErrors(({ [`${block.id}.${questionId}`]: _cleared, ...rest }) => rest);
                  }}
                />
              </fieldset>
            ))}
          <div className="flex flex-wrap gap-3">
            <Button type="submit" busy={running} disabled={!hydrated} data-testid="save-answers">
              {t('saveAnswers')}
            </Button>
            <Button variant="secondary" disabled={running} onClick={() => setEditing(false)}>
              {t('cancelEdit')}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}
