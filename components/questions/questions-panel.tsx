'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { QUESTION_KINDS, type QuestionKind, type QuestionPer } from '@/lib/enums';
import type { AnswersInput, CreateQuestionInput, QuestionDto, UpdateQuestionInput } from '@/lib/questions/schemas';
import { QuestionFields, type PathErrors } from '@/components/questions/question-fields';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

type TicketTypeChoice = { id: string; name: string };
type Draft = { label: string; help: string; kind: QuestionKind; options: { id?: string; label: string }[]; required: boolean; per: QuestionPer; ticketTypeIds: string[] };
type Save = { id: string | null; body: CreateQuestionInput | UpdateQuestionInput };

const EMPTY: Draft = { label: '', help: '', kind: 'text', options: [], required: false, per: 'order', ticketTypeIds: [] };
const isChoice = (kind: QuestionKind) => kind === 'choice' || kind === 'multi_choice';

function draftOf(q: QuestionDto): Draft {
  return { label: q.label, help: q.help, kind: q.kind, options: q.options.map((o) => ({ ...o })), required: q.required, per: q.per, ticketTypeIds: [...q.ticketTypeIds] };
}

/**
 * The event page's Questions panel: what guests are asked beyond name and
 * email. Add, edit (each edit is a new version; past answers keep theirs),
 * reorder with the Move buttons (keyboard: Tab to one, Enter; the focus stays
 * on the moved question's button), delete after a confirmation, and a preview
 * of the guest's form. Every change through the ActionController.
 */
export function QuestionsPanel({ eventId, questions, ticketTypes }: { eventId: string; questions: QuestionDto[]; ticketTypes: TicketTypeChoice[] }) {
  const t = useTranslations('questions');
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<QuestionDto | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [deleting, setDeleting] = useState<QuestionDto | null>(null);
  const [preview, setPreview] = useState(false);
  const [previewValues, setPreviewValues] = useState<AnswersInput>({});
  const focusAfter = useRef<string | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  const [saveState, saveController] = useActionController(({ id, body }: Save, { correlationId, signal }) =>
    id === null
      ? apiCall(apiRoute('POST', '/api/events/[id]/questions'), { params: { id: eventId }, body: body as CreateQuestionInput, correlationId, signal })
      : apiCall(apiRoute('PATCH', '/api/events/[id]/questions/[qid]'), { params: { id: eventId, qid: id }, body, correlationId, signal }),
  );
  const [orderState, orderController] = useActionController((ids: string[], { correlationId, signal }) =>
    apiCall(apiRoute('PUT', '/api/events/[id]/questions/order'), { params: { id: eventId }, body: { ids }, correlationId, signal }),
  );
  const [deleteState, deleteController] = useActionController((qid: string, { correlationId, signal }) =>
    apiCall(apiRoute('DELETE', '/api/events/[id]/questions/[qid]'), { params: { id: eventId, qid }, correlationId, signal }),
  );

  useEffect(() => {
    if (saveState.status !== 'succeeded') return;
    setDraft(EMPTY);
    setEditing(null);
    setFormOpen(false);
    router.refresh();
    addRef.current?.focus();
  }, [saveState, router]);
  useEffect(() => {
    if (orderState.status === 'succeeded') router.refresh();
  }, [orderState, router]);
  useEffect(() => {
    if (deleteState.status !== 'succeeded') return;
    setDeleting(null);
    router.refresh();
  }, [deleteState, router]);
  // After a move, the moved question's button keeps the focus (found again once the list re-renders).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the re-read list arrives, which is what `questions` changing means.
  useEffect(() => {
    if (!focusAfter.current) return;
    const target = document.getElementById(focusAfter.current);
    if (target && !target.hasAttribute('disabled')) target.focus();
    else document.getElementById(focusAfter.current.replace(/-(up|down)$/, (_, d: string) => (d === 'up' ? '-down' : '-up')))?.focus();
    focusAfter.current = null;
  }, [questions]);
  useEffect(() => {
    if (formOpen) document.getElementById('question-label')?.focus();
  }, [formOpen]);

  const fieldError = (field: string): string | undefined => {
    const messages = saveState.status === 'failed' ? saveState.error.fieldErrors?.[field] : undefined;
    return messages?.join(' ');
  };
  const optionsError = fieldError('options') ?? (saveState.status === 'failed' ? Object.entries(saveState.error.fieldErrors ?? {}).find(([f]) => f.startsWith('options.'))?.[1].join(' ') : undefined);
  const saving = saveState.status === 'running';

  const move = (index: number, by: -1 | 1) => {
    const ids = questions.map((q) => q.id);
    const [moved] = ids.splice(index, 1);
    if (!moved) return;
    ids.splice(index + by, 0, moved);
    focusAfter.current = `question-${moved}-${by === -1 ? 'up' : 'down'}`;
    void orderController.submit(ids);
  };

  const openNew = () => {
    setEditing(null);
    setDraft(EMPTY);
    setFormOpen(true);
  };
  const openEdit = (q: QuestionDto) => {
    setEditing(q);
    setDraft(draftOf(q));
    setFormOpen(true);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const options = isChoice(draft.kind) ? draft.options.map((o) => ({ ...(o.id && editing && { id: o.id }), label: o.label })) : [];
    const body = { label: draft.label, help: draft.help, kind: draft.kind, required: draft.required, per: draft.per, ticketTypeIds: draft.ticketTypeIds, options };
    void saveController.submit({ id: editing?.id ?? null, body });
  };

  const kindLabel = (kind: QuestionKind) => t(`kind.${kind}`);

  return (
    <Card as="section" aria-labelledby="questions-heading" className="flex flex-col gap-4" data-testid="questions-panel">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <CardTitle id="questions-heading">{t('title')}</CardTitle>
        {questions.length > 0 && (
          <Button variant="ghost" size="sm" aria-expanded={preview} aria-controls="questions-preview" onClick={() => setPreview((p) => !p)} data-testid="questions-preview-toggle">
            {preview ? t('hidePreview') : t('showPreview')}
          </Button>
        )}
      </div>
      <p className="text-sm text-slate-700">{t('lead')}</p>
      {(orderState.status === 'failed' || deleteState.status === 'failed') && (
        <Alert tone="error" testId="questions-error">
          {orderState.status === 'failed' ? errorText(orderState.error) : deleteState.status === 'failed' ? errorText(deleteState.error) : null}
        </Alert>
      )}
      {questions.length === 0 ? (
        <p className="text-sm text-slate-700" data-testid="questions-empty">
          {t('empty')}
        </p>
      ) : (
        <ol className="flex flex-col divide-y divide-slate-200 rounded-lg border border-slate-200" aria-busy={orderState.status === 'running'}>
          {questions.map((q, index) => (
            <li key={q.id} className="flex flex-col gap-3 p-3 sm:flex-row sm:items-start sm:justify-between" data-testid="question-row" data-question-id={q.id}>
              <div className="min-w-0 flex-1">
                <p className="font-medium break-words text-slate-900">{q.label}</p>
                <p className="mt-1 flex flex-wrap gap-1.5">
                  <Badge tone="slate">{kindLabel(q.kind)}</Badge>
                  {q.required && <Badge tone="indigo">{t('requiredBadge')}</Badge>}
                  <Badge tone="slate">{q.per === 'ticket' ? t('perTicket') : t('perOrder')}</Badge>
                  {q.ticketTypeIds.length > 0 && (
                    <Badge tone="slate">
                      {t('onlyTypes', { types: ticketTypes.filter((type) => q.ticketTypeIds.includes(type.id)).map((type) => type.name).join(', ') })}
                    </Badge>
                  )}
                </p>
                {isChoice(q.kind) && <p className="mt-1 text-sm break-words text-slate-700">{q.options.map((o) => o.label).join(' · ')}</p>}
              </div>
              <div className="flex flex-wrap gap-1.5">
                <Button
                  id={`question-${q.id}-up`}
                  variant="ghost"
                  size="sm"
                  disabled={!hydrated || index === 0 || orderState.status === 'running'}
                  onClick={() => move(index, -1)}
                  aria-label={t('moveUp', { label: q.label })}
                  data-testid="question-up"
                >
                  ↑
                </Button>
                <Button
                  id={`question-${q.id}-down`}
                  variant="ghost"
                  size="sm"
                  disabled={!hydrated || index === questions.length - 1 || orderState.status === 'running'}
                  onClick={() => move(index, 1)}
                  aria-label={t('moveDown', { label: q.label })}
                  data-testid="question-down"
                >
                  ↓
                </Button>
                <Button variant="secondary" size="sm" disabled={!hydrated} onClick={() => openEdit(q)} aria-label={t('editLabel', { label: q.label })} data-testid="question-edit">
                  {t('edit')}
                </Button>
                <Button variant="ghost" size="sm" disabled={!hydrated} onClick={() => setDeleting(q)} aria-label={t('deleteLabel', { label: q.label })} data-testid="question-delete">
                  {t('delete')}
                </Button>
              </div>
            </li>
          ))}
        </ol>
      )}

      {preview && questions.length > 0 && (
        <section id="questions-preview" aria-labelledby="questions-preview-heading" className="flex flex-col gap-4 rounded-lg border border-dashed border-slate-300 p-3" data-testid="questions-preview">
          <h3 id="questions-preview-heading" className="text-sm font-semibold text-slate-900">
            {t('previewTitle')}
          </h3>
          <p className="text-xs text-slate-600">{t('previewLead')}</p>
          <QuestionFields
            questions={questions}
            prefix="preview"
            values={previewValues}
            errors={{} as PathErrors}
            onChange={(id, value) => setPreviewValues((current) => ({ ...current, [id]: value }))}
          />
        </section>
      )}

      {!formOpen ? (
        <Button ref={addRef} variant="secondary" className="self-start" disabled={!hydrated} onClick={openNew} data-testid="question-add">
          {t('add')}
        </Button>
      ) : (
        <form onSubmit={submit} noValidate className="flex flex-col gap-4 rounded-lg bg-slate-50 p-3" data-testid="question-form" aria-labelledby="question-form-heading">
          <h3 id="question-form-heading" className="text-sm font-semibold text-slate-900">
            {editing ? t('editTitle', { label: editing.label }) : t('addTitle')}
          </h3>
          {saveState.status === 'failed' && (
            <Alert tone="error" testId="question-form-error">
              {saveState.error.code === 'VALIDATION_FAILED' ? t('fixFields') : errorText(saveState.error)}
            </Alert>
          )}
          {editing && <p className="text-xs text-slate-600">{t('versionNote')}</p>}
          <Field id="question-label" label={t('label')} error={fieldError('label')}>
            {(control) => <Input {...control} value={draft.label} maxLength={200} onChange={(e) => setDraft({ ...draft, label: e.target.value })} data-testid="question-label" />}
          </Field>
          <Field id="question-help" label={t('help')} hint={t('helpHint')} error={fieldError('help')}>
            {(control) => <Input {...control} value={draft.help} maxLength={500} onChange={(e) => setDraft({ ...draft, help: e.target.value })} />}
          </Field>
          <Field id="question-kind" label={t('kindLabel')} error={fieldError('kind')}>
            {(control) => (
              <Select
                {...control}
                value={draft.kind}
                onChange={(e) => {
                  const kind = e.target.value as QuestionKind;
                  setDraft({ ...draft, kind, options: isChoice(kind) && draft.options.length === 0 ? [{ label: '' }, { label: '' }] : draft.options });
                }}
                data-testid="question-kind"
              >
                {QUESTION_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {kindLabel(kind)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {isChoice(draft.kind) && (
            <fieldset className="flex flex-col gap-2" aria-describedby={optionsError ? 'question-options-error' : undefined}>
              <legend className="mb-1 text-sm font-medium text-slate-800">{t('options')}</legend>
              {draft.options.map((option, n) => (
                <div key={option.id ?? `new-${n}`} className="flex items-center gap-2">
                  <Input
                    aria-label={t('optionLabel', { number: n + 1 })}
                    value={option.label}
                    maxLength={200}
                    aria-invalid={Boolean(optionsError) && option.label.trim() === ''}
                    onChange={(e) => setDraft({ ...draft, options: draft.options.map((o, m) => (m === n ? { ...o, label: e.target.value } : o)) })}
                    data-testid="question-option"
                  />
                  <Button variant="ghost" size="sm" onClick={() => setDraft({ ...draft, options: draft.options.filter((_, m) => m !== n) })} aria-label={t('removeOption', { number: n + 1 })}>
                    ✕
                  </Button>
                </div>
              ))}
              <Button variant="ghost" size="sm" className="self-start" onClick={() => setDraft({ ...draft, options: [...draft.options, { label: '' }] })} data-testid="question-option-add">
                {t('addOption')}
              </Button>
              {optionsError && (
                <p id="question-options-error" className="text-sm text-red-700">
                  {optionsError}
                </p>
              )}
            </fieldset>
          )}
          <label className="flex min-h-10 items-center gap-2 text-sm font-medium text-slate-800">
            <input type="checkbox" className="size-4 accent-indigo-600" checked={draft.required} onChange={(e) => setDraft({ ...draft, required: e.target.checked })} data-testid="question-required" />
            {t('required')}
          </label>
          <fieldset className="flex flex-col gap-1.5">
            <legend className="mb-1 text-sm font-medium text-slate-800">{t('askedLabel')}</legend>
            {(['order', 'ticket'] as const).map((per) => (
              <label key={per} className="flex min-h-10 items-center gap-2 text-sm text-slate-900">
                <input type="radio" name="question-per" className="size-4 accent-indigo-600" checked={draft.per === per} onChange={() => setDraft({ ...draft, per })} data-testid={`question-per-${per}`} />
                {per === 'order' ? t('perOrderLong') : t('perTicketLong')}
              </label>
            ))}
          </fieldset>
          {ticketTypes.length > 0 && (
            <fieldset className="flex flex-col gap-1.5" aria-describedby="question-types-hint">
              <legend className="mb-1 text-sm font-medium text-slate-800">{t('typesLabel')}</legend>
              <p id="question-types-hint" className="text-xs text-slate-600">
                {t('typesHint')}
              </p>
              {ticketTypes.map((type) => (
                <label key={type.id} className="flex min-h-10 items-center gap-2 text-sm text-slate-900">
                  <input
                    type="checkbox"
                    className="size-4 accent-indigo-600"
                    checked={draft.ticketTypeIds.includes(type.id)}
                    onChange={(e) =>
                      setDraft({ ...draft, ticketTypeIds: e.target.checked ? [...draft.ticketTypeIds, type.id] : draft.ticketTypeIds.filter((id) => id !== type.id) })
                    }
                  />
                  {type.name}
                </label>
              ))}
              {fieldError('ticketTypeIds') && <p className="text-sm text-red-700">{fieldError('ticketTypeIds')}</p>}
            </fieldset>
          )}
          <div className="flex flex-wrap gap-3">
            <Button type="submit" busy={saving} disabled={!hydrated} data-testid="question-save">
              {editing ? t('save') : t('addSubmit')}
            </Button>
            <Button
              variant="secondary"
              disabled={saving}
              onClick={() => {
                setFormOpen(false);
                setEditing(null);
                setDraft(EMPTY);
              }}
            >
              {t('cancel')}
            </Button>
          </div>
        </form>
      )}

      <ConfirmDialog
        open={deleting !== null}
        title={t('deleteTitle', { label: deleting?.label ?? '' })}
        description={t('deleteDescription')}
        confirmLabel={t('delete')}
        cancelLabel={t('cancel')}
        pending={deleteState.status === 'running'}
        onConfirm={() => deleting && void deleteController.submit(deleting.id)}
        onCancel={() => setDeleting(null)}
        testId="question-delete-dialog"
        confirmTestId="question-delete-confirm"
      >
        {deleteState.status === 'failed' && <Alert tone="error">{errorText(deleteState.error)}</Alert>}
      </ConfirmDialog>
    </Card>
  );
}
