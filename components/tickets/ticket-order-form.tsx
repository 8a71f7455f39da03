'use client';
import { useEffect, useMemo, useState } from 'react';
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

const ROUTE = apiRoute('POST', '/api/public/events/[slug]/orders');

function parseSavedOrder(value: unknown): PlaceOrderInput | null {
  const parsed = placeOrderSchema.safeParse(value);
  if (!parsed.success) return null;
  const { name, email, locale, items, code } = parsed.data;
  return { name, email, items, ...(locale && { locale }), ...(code && { code }) };
}

/**
 * The public page's ticket picker: a quantity per type (up to 10 in all), the
 * total, the buyer's name and email; one Idempotency-Key per attempt, so a
 * double click or a reload places one order. Then to the payment page (or,
 * for free tickets, straight to the order).
 */
/** `code`: a usable code applied on the page (`?code=`): sent with the order, prices shown with it. */
export function TicketOrderForm({ slug, ticketTypes, code }: { slug: string; ticketTypes: PublicTicketTypeDto[]; code?: string }) {
  const t = useTranslations('tickets');
  const tPublic = useTranslations('publicEvent');
  const tValidation = useTranslations('validation');
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

  useEffect(() => {
    const saved = controller.savedPayload();
    if (!saved) return;
    reset({ name: saved.name, email: saved.email });
    setQuantities(Object.fromEntries(saved.items.map((item) => [item.ticketTypeId, item.quantity])));
  }, [controller, reset]);

  // The buyer's name and email are fields; what the server says of the items shows in the notice.
  useServerFieldErrors(setError, state.status === 'failed' ? state.error : null, {
    fieldOf: (field) => (field === 'name' || field === 'email' ? field : null),
  });

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

  const submit = handleSubmit((values) => {
    const items = ticketTypes.filter((type) => (quantities[type.id] ?? 0) > 0).map((type) => ({ ticketTypeId: type.id, quantity: quantities[type.id] ?? 0 }));
    if (items.length === 0) return;
    void controller.submit({ name: values.name, email: values.email, locale: locale === 'ru' ? 'ru' : 'en', items, ...(code && { code }) });
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" data-testid="ticket-order-form">
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
