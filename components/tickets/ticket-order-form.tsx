'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { tabPersistence } from '@/lib/actions/attempt-persistence';
import { apiRoute, routeLabel } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import { registerSchema, type RegisterData, type RegisterInput } from '@/lib/registrations/schemas';
import { MAX_TICKETS_PER_ORDER, placeOrderSchema, type PlaceOrderInput, type PublicTicketTypeDto } from '@/lib/tickets/schemas';
import { formatMoney } from '@/lib/money';
import { seatsNotice } from '@/lib/events/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';
import { useServerFieldErrors } from '@/components/ui/use-server-field-errors';
import { AttemptInterrupted } from '@/components/ui/attempt-interrupted';
import { answerErrorKeys, answersToSend, fieldIdOf, focusFirstInvalid, QuestionFields, showAnswerErrors, type PathErrors } from '@/components/questions/question-fields';
import type { AnswersInput, PublicQuestionDto } from '@/lib/questions/schemas';

const ROUTE = apiRoute('POST', '/api/public/events/[slug]/orders');

function parseSavedOrder(value: unknown): PlaceOrderInput | null {
  const parsed = placeOrderSchema.safeParse(value);
  if (!parsed.success) return null;
  const { name, email, locale, items, code, answers } = parsed.data;
  return { name, email, items, ...(locale && { locale }), ...(code && { code }), ...(answers && { answers }) };
}

type Holder = { name: string; answers: AnswersInput };

const appliesTo = (question: PublicQuestionDto, typeIds: readonly string[]) =>
  question.ticketTypeIds.length === 0 || question.ticketTypeIds.some((id) => typeIds.includes(id));

/**
 * The public page's ticket picker: a quantity per type (up to 10 in all), the
 * total, the buyer's name and email; one Idempotency-Key per attempt, so a
 * double click or a reload places one order. Then to the payment page (or,
 * for free tickets, straight to the order).
 */
/** `code`: a usable code applied on the page (`?code=`): sent with the order, prices shown with it. */
export function TicketOrderForm({
  slug,
  ticketTypes,
  code,
  questions = [],
}: { slug: string; ticketTypes: PublicTicketTypeDto[]; code?: string; questions?: PublicQuestionDto[] }) {
  const t = useTranslations('tickets');
  const tPublic = useTranslations('publicEvent');
  const tValidation = useTranslations('validation');
  const tQuestions = useTranslations('questions');
  const locale = useLocale();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const router = useRouter();
  const [quantities, setQuantities] = useState<Record<string, number>>({});
  const form = useForm<RegisterInput, unknown, RegisterData>({ resolver: zodResolver(registerSchema), defaultValues: { name: '', email: '' }, mode: 'onTouched' });
  const { register, handleSubmit, formState, setError, reset } = form;
  const [state, controller] = useActionController(
    async (body: PlaceOrderInput, { correlationId, signal }) => {
      const result = await apiCall(ROUTE, { params: { slug }, body, correlationId, signal });
      if (result.ok) window.location.assign(result.data.paymentUrl ?? result.data.manageUrl);
      return result;
    },
    { persistence: tabPersistence(ROUTE, `${routeLabel(ROUTE)}:${slug}`, parseSavedOrder) },
  );

  // The questions: answers for the order, and a block per ticket holder for the per-ticket ones; kept on any error.
  const formRef = useRef<HTMLFormElement>(null);
  const [answers, setAnswers] = useState<AnswersInput>({});
  const [holders, setHolders] = useState<Record<string, Holder[]>>({});
  const [answerErrors, setAnswerErrors] = useState<PathErrors>({});

  useEffect(() => {
    const saved = controller.savedPayload();
    if (!saved) return;
    reset({ name: saved.name, email: saved.email });
    setQuantities(Object.fromEntries(saved.items.map((item) => [item.ticketTypeId, item.quantity])));
    if (saved.answers) setAnswers(saved.answers);
    setHolders(
      Object.fromEntries(
        saved.items.map((item) => [item.ticketTypeId, (item.holders ?? []).map((holder) => ({ name: holder.name ?? '', answers: holder.answers ?? {} }))]),
      ),
    );
  }, [controller, reset]);

  // The buyer's name and email are fields; the answers' errors go to their questions; what the server says of the items shows in the notice.
  useServerFieldErrors(setError, state.status === 'failed' ? state.error : null, {
    fieldOf: (field) => (field === 'name' || field === 'email' ? field : null),
    focusFirst: true,
  });
  const failure = state.status === 'failed' ? state.error : null;
  useEffect(() => {
    const fromServer = Object.entries(failure?.fieldErrors ?? {}).filter(([field]) => field.startsWith('answers.') || field.startsWith('items.'));
    if (fromServer.length === 0) return;
    setAnswerErrors(Object.fromEntries(fromServer.map(([field, messages]) => [field, messages.join(' ')])));
    focusFirstInvalid(formRef.current);
  }, [failure]);

  // Lost a sold-out race: what is left is read again (the page's server data), so the list never offers
  // what is gone; a choice above what is left now comes down to it.
  const soldOutError = state.status === 'failed' && state.error.code === 'SOLD_OUT' ? state.error : null;
  useEffect(() => {
    if (soldOutError) router.refresh();
  }, [soldOutError, router]);
  useEffect(() => {
    setQuantities((current) => {
      const clamped = Object.fromEntries(
        Object.entries(current).map(([id, quantity]) => [id, Math.min(quantity, ticketTypes.find((type) => type.id === id)?.available ?? 0)]),
      );
      return Object.entries(clamped).some(([id, quantity]) => quantity !== current[id]) ? clamped : current;
    });
  }, [ticketTypes]);

  const count = Object.values(quantities).reduce((n, q) => n + q, 0);
  const currency = ticketTypes[0]?.price.currency ?? 'eur';
  const total = useMemo(
    () => ticketTypes.reduce((sum, type) => sum + (quantities[type.id] ?? 0) * (type.discountedPrice ?? type.price).amount, 0),
    [ticketTypes, quantities],
  );
  const message = (text: string | undefined) => (text ? (tValidation.has(text) ? tValidation(text) : text) : undefined);
  const running = state.status === 'running' || state.status === 'succeeded';
  const soldOutType = soldOutError?.details?.ticketTypeId;

  /** Not on sale, sold out, "only N left" when few are (seatsNotice), else nothing: never a plain count. */
  const typeNotice = (type: PublicTicketTypeDto): string | null => {
    if (!type.onSale) return t('notOnSale');
    const notice = seatsNotice(type.available, 0);
    return notice?.kind === 'soldOut' ? t('soldOut') : notice?.kind === 'few' ? t('fewLeft', { count: notice.left }) : null;
  };

  const chosen = ticketTypes.filter((type) => (quantities[type.id] ?? 0) > 0);
  const chosenIds = chosen.map((type) => type.id);
  const perOrder = questions.filter((q) => q.per === 'order' && appliesTo(q, chosenIds));
  const perTicketOf = (typeId: string) => questions.filter((q) => q.per === 'ticket' && appliesTo(q, [typeId]));
  const holderOf = (typeId: string, j: number): Holder => holders[typeId]?.[j] ?? { name: '', answers: {} };

  const checkAnswers = (): boolean => {
    const keys: Record<string, string> = answerErrorKeys(perOrder, answers, 'answers');
    chosen.forEach((type, i) => {
      for (let j = 0; j < (quantities[type.id] ?? 0); j += 1) {
        Object.assign(keys, answerErrorKeys(perTicketOf(type.id), holderOf(type.id, j).answers, `items.${i}.holders.${j}.answers`));
      }
    });
    return showAnswerErrors(keys, message, setAnswerErrors, formRef.current);
  };

  const submit = handleSubmit(
    (values) => {
      if (chosen.length === 0 || !checkAnswers()) return;
      const items = chosen.map((type) => {
        const quantity = quantities[type.id] ?? 0;
        const asked = perTicketOf(type.id);
        if (asked.length === 0) return { ticketTypeId: type.id, quantity };
        const given = Array.from({ length: quantity }, (_, j) => {
          const holder = holderOf(type.id, j);
          const name = holder.name.trim();
          return { ...(name && { name }), answers: answersToSend(asked, holder.answers) };
        });
        return { ticketTypeId: type.id, quantity, holders: given };
      });
      const sent = answersToSend(perOrder, answers);
      void controller.submit({ name: values.name, email: values.email, locale: locale === 'ru' ? 'ru' : 'en', items, ...(code && { code }), ...(Object.keys(sent).length > 0 && { answers: sent }) });
    },
    () => void checkAnswers(),
  );

  const clearError = (path: string) => setAnswerErrors(({ [path]: _cleared, ...rest }) => rest);
  const answerOrder = (questionId: string, value: unknown) => {
    setAnswers((current) => ({ ...current, [questionId]: value }));
    clearError(`answers.${questionId}`);
  };
  const updateHolder = (typeId: string, j: number, change: (holder: Holder) => Holder) =>
    setHolders((current) => {
      const list = [...(current[typeId] ?? [])];
      list[j] = change(list[j] ?? { name: '', answers: {} });
      return { ...current, [typeId]: list };
    });

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="ticket-order-form">
      {state.status === 'failed' && (
        <Alert tone="error" testId="form-error">
          {state.error.fieldErrors?.code ? message(state.error.fieldErrors.code[0]) : state.error.code === 'VALIDATION_FAILED' ? tPublic('fixFields') : errorText(state.error)}
        </Alert>
      )}
      {state.status === 'interrupted' && <AttemptInterrupted onResend={() => void controller.resend()} onDiscard={controller.cancel} />}
      <ul className="flex flex-col divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label={t('typesLabel')}>
        {ticketTypes.map((type) => {
          const max = Math.min(type.available, MAX_TICKETS_PER_ORDER - count + (quantities[type.id] ?? 0));
          const id = `qty-${type.id}`;
          return (
            <li key={type.id} className="flex flex-wrap items-center justify-between gap-3 p-3" data-testid="ticket-type" data-ticket-type-id={type.id}>
              <div className="min-w-0">
                <label htmlFor={id} className="font-medium break-words text-slate-900">
                  {type.name}
                </label>
                <p className="text-sm text-slate-700 tabular-nums" data-testid="ticket-type-state">
                  {type.discountedPrice ? (
                    <>
                      <s className="text-slate-500" data-testid="ticket-price-was">
                        {formatMoney(type.price.amount, type.price.currency, locale)}
                      </s>{' '}
                      <span className="font-medium text-emerald-800" data-testid="ticket-price-discounted">
                        {type.discountedPrice.amount === 0 ? t('free') : formatMoney(type.discountedPrice.amount, type.discountedPrice.currency, locale)}
                      </span>
                    </>
                  ) : type.price.amount === 0 ? (
                    t('free')
                  ) : (
                    formatMoney(type.price.amount, type.price.currency, locale)
                  )}
                  {typeNotice(type) && ` · ${typeNotice(type)}`}
                </p>
                {soldOutType === type.id && <p className="text-sm text-red-700">{t('soldOutNow')}</p>}
              </div>
              <Select
                id={id}
                className="w-24"
                value={String(quantities[type.id] ?? 0)}
                disabled={!type.onSale || type.available === 0 || running}
                onChange={(e) => setQuantities((q) => ({ ...q, [type.id]: Number(e.target.value) }))}
                data-testid="ticket-quantity"
              >
                {Array.from({ length: Math.max(0, max) + 1 }, (_, n) => String(n)).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </Select>
            </li>
          );
        })}
      </ul>
      <p className="flex justify-between text-lg font-semibold tabular-nums" data-testid="order-total" aria-live="polite">
        <span>{t('total')}</span>
        <span>{formatMoney(total, currency, locale)}</span>
      </p>
      <Field id="name" label={tPublic('name')} error={message(formState.errors.name?.message)}>
        {(control) => <Input {...control} {...register('name')} autoComplete="name" />}
      </Field>
      <Field id="email" label={tPublic('email')} error={message(formState.errors.email?.message)}>
        {(control) => <Input {...control} {...register('email')} type="email" autoComplete="email" inputMode="email" />}
      </Field>
      <QuestionFields questions={perOrder} prefix="answers" values={answers} errors={answerErrors} disabled={running} onChange={answerOrder} />
      {chosen.map((type, i) => {
        const asked = perTicketOf(type.id);
        if (asked.length === 0) return null;
        return Array.from({ length: quantities[type.id] ?? 0 }, (_, j) => {
          const holder = holderOf(type.id, j);
          const prefix = `items.${i}.holders.${j}`;
          const nameError = answerErrors[`${prefix}.name`];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a holder is the j-th ticket of its type; its place is its identity.
            <fieldset key={`${type.id}-${j}`} className="flex flex-col gap-4 rounded-lg border border-slate-200 p-3" data-testid="ticket-holder">
              <legend className="px-1 text-sm font-semibold text-slate-900">{tQuestions('holderLegend', { number: j + 1, type: type.name })}</legend>
              <Field id={fieldIdOf(`${prefix}.name`)} label={tQuestions('holderName')} hint={tQuestions('holderNameHint')} error={nameError}>
                {(control) => (
                  <Input
                    {...control}
                    value={holder.name}
                    maxLength={100}
                    autoComplete="off"
                    disabled={running}
                    onChange={(e) => {
                      const name = e.target.value;
                      updateHolder(type.id, j, (h) => ({ ...h, name }));
                      clearError(`${prefix}.name`);
                    }}
                  />
                )}
              </Field>
              <QuestionFields
                questions={asked}
                prefix={`${prefix}.answers`}
                values={holder.answers}
                errors={answerErrors}
                disabled={running}
                onChange={(questionId, value) => {
                  updateHolder(type.id, j, (h) => ({ ...h, answers: { ...h.answers, [questionId]: value } }));
                  clearError(`${prefix}.answers.${questionId}`);
                }}
              />
            </fieldset>
          );
        });
      })}
      <Button type="submit" busy={running} disabled={!hydrated || count === 0} data-testid="order-submit">
        {total === 0 ? t('getTickets', { count }) : t('buy', { count })}
      </Button>
      {/* More than the button's spinner: what is happening, said aloud too (the region is there before it speaks). */}
      <p role="status" aria-live="polite" className="min-h-5 text-sm text-slate-700" data-testid="order-progress">
        {state.status === 'running' ? t('statusPlacing') : state.status === 'succeeded' ? (total === 0 ? t('statusOpeningOrder') : t('statusRedirecting')) : ''}
      </p>
    </form>
  );
}
