'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { CreateTicketTypeInput, TicketTypeDto } from '@/lib/tickets/schemas';
import { formatMoney, minorPerMajor } from '@/lib/money';
import { instantToWallTime, wallTimeToInstant } from '@/lib/events/zoned-time';
import { formatEventTime } from '@/components/ui/event-time';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { CurrencySelect } from '@/components/ui/currency-select';
import { Input } from '@/components/ui/input';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

type Edit = { id: string; body: CreateTicketTypeInput };

/**
 * The event page's ticket types: each with its price and sold / held /
 * available, and a form that adds one (name, price, optional quantity and
 * sales end, on the clocks of the event's zone as its start and end are). One
 * Idempotency-Key per attempt through the ActionController.
 */
export function TicketTypesPanel({
  eventId,
  ticketTypes,
  currency,
  defaultCurrency,
  timeZone,
  zoneLabel,
}: {
  eventId: string;
  ticketTypes: TicketTypeDto[];
  /** The event's currency, fixed by its first ticket type; null while it has none. */
  currency: string | null;
  /** The organiser's default currency (settings); null until they pick one. */
  defaultCurrency: string | null;
  timeZone: string;
  zoneLabel: string;
}) {
  const t = useTranslations('ticketTypes');
  const tValidation = useTranslations('validation');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  // Never from the interface's language: the event's own, else the organiser's default, else asked here.
  const fixed = currency ?? defaultCurrency;
  const [cur, setCur] = useState(fixed ?? '');
  const [quantity, setQuantity] = useState('');
  // "YYYY-MM-DDTHH:mm" in the event's zone; empty: on sale until the event starts.
  const [salesEnd, setSalesEnd] = useState('');
  // Off the public page: sold only with a code that unlocks it.
  const [hidden, setHidden] = useState(false);
  const [state, controller] = useActionController((body: CreateTicketTypeInput, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/events/[id]/ticket-types'), { params: { id: eventId }, body, correlationId, signal }),
  );
  // Editing a type: the same form, sent as a PATCH (a price change never touches existing orders).
  const [editing, setEditing] = useState<TicketTypeDto | null>(null);
  const [editState, editController] = useActionController(({ id, body }: Edit, { correlationId, signal }) =>
    apiCall(apiRoute('PATCH', '/api/events/[id]/ticket-types/[tid]'), { params: { id: eventId, tid: id }, body, correlationId, signal }),
  );
  // An empty form for the next type: after a save, or when an edit is cancelled.
  const clearForm = useCallback(() => {
    setName('');
    setPrice('');
    setQuantity('');
    setSalesEnd('');
    setHidden(false);
    setEditing(null);
  }, []);
  useEffect(() => {
    if (state.status !== 'succeeded' && editState.status !== 'succeeded') return;
    clearForm();
    router.refresh();
  }, [state, editState, router, clearForm]);
  const startEdit = (type: TicketTypeDto) => {
    setEditing(type);
    setName(type.name);
    setPrice(String(type.price.amount / minorPerMajor(type.price.currency)));
    setQuantity(type.quantity === null ? '' : String(type.quantity));
    setSalesEnd(type.salesEndAt === null ? '' : instantToWallTime(type.salesEndAt, timeZone));
    setHidden(type.hidden);
  };

  const failed = editing ? editState : state;
  const fieldError = (field: string) => {
    if (failed.status !== 'failed') return undefined;
    const keys = failed.error.fieldErrors?.[field];
    return keys?.map((k) => (tValidation.has(k) ? tValidation(k) : k)).join(' ');
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const major = Number(price.replace(',', '.'));
    const amount = Number.isFinite(major) ? Math.round(major * minorPerMajor(/^[a-z]{3}$/i.test(cur) ? cur : 'EUR')) : Number.NaN;
    // A wall time the zone can't read goes as it is, and the server names the field.
    const salesEndAt = salesEnd === '' ? null : (wallTimeToInstant(salesEnd, timeZone)?.toISOString() ?? salesEnd);
    const body: CreateTicketTypeInput = {
      name,
      price: { amount, currency: cur },
      ...(quantity.trim() !== '' && { quantity: Number(quantity) }),
      ...(salesEndAt !== null && { salesEndAt }),
      ...(hidden && { hidden }),
    };
    if (editing) void editController.submit({ id: editing.id, body: { ...body, quantity: quantity.trim() === '' ? null : Number(quantity), salesEndAt, hidden } });
    else void controller.submit(body);
  };
  const running = state.status === 'running' || editState.status === 'running';

  return (
    <section className="flex flex-col gap-4" aria-labelledby="ticket-types-heading" data-testid="ticket-types">
      <h2 id="ticket-types-heading" className="text-lg font-semibold">
        {t('title')}
      </h2>
      {ticketTypes.length === 0 ? (
        <p className="text-sm text-slate-700" data-testid="ticket-types-empty">
          {t('empty')}
        </p>
      ) : (
        <DataTable
          caption={t('title')}
          labelledBy="ticket-types-heading"
          columns={[
            { id: 'name', header: t('name') },
            { id: 'price', header: t('price'), className: 'text-right' },
            { id: 'sold', header: t('sold'), className: 'text-right' },
            { id: 'held', header: t('held'), className: 'text-right' },
            { id: 'available', header: t('available'), className: 'text-right' },
            { id: 'salesEnd', header: t('salesEnd') },
            { id: 'actions', header: t('actions'), headerHidden: true },
          ]}
        >
          {ticketTypes.map((type) => (
            <tr key={type.id} data-testid="ticket-type-row" data-ticket-type-id={type.id}>
              <DataRowHeader className="break-words">
                {type.name}
                {type.hidden && (
                  <span className="ml-2 align-middle">
                    <Badge testId="ticket-type-hidden">{t('hiddenBadge')}</Badge>
                  </span>
                )}
              </DataRowHeader>
              <DataCell className="text-right tabular-nums" label={t('price')}>{type.price.amount === 0 ? t('free') : formatMoney(type.price.amount, type.price.currency, locale)}</DataCell>
              <DataCell className="text-right tabular-nums" data-testid="ticket-type-sold" label={t('sold')}>
                {type.sold}
                {type.quantity !== null && ` / ${type.quantity}`}
              </DataCell>
              <DataCell className="text-right tabular-nums" data-testid="ticket-type-held" label={t('held')}>
                {type.held}
              </DataCell>
              <DataCell className="text-right tabular-nums" data-testid="ticket-type-available" label={t('available')}>
                {type.available}
              </DataCell>
              <DataCell data-testid="ticket-type-sales-end" label={t('salesEnd')}>
                {type.salesEndAt === null
                  ? t('untilStart')
                  : formatEventTime(type.salesEndAt, timeZone, locale)}
              </DataCell>
              <DataCell actions>
                <Button size="sm" variant="secondary" disabled={!hydrated || running} onClick={() => startEdit(type)} data-testid="ticket-type-edit">
                  {t('edit')}
                </Button>
              </DataCell>
            </tr>
          ))}
        </DataTable>
      )}
      <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="ticket-type-form">
        {failed.status === 'failed' && failed.error.code !== 'VALIDATION_FAILED' && (
          <div className="sm:col-span-2">
            <Alert tone="error" testId="ticket-type-error">
              {errorText(failed.error)}
            </Alert>
          </div>
        )}
        <Field id="tt-name" label={t('name')} error={fieldError('name')}>
          {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id="tt-price" label={t('priceLabel')} hint={t('priceHint')} error={fieldError('price.amount') ?? fieldError('price')}>
          {(control) => <Input {...control} value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" placeholder="0" />}
        </Field>
        {fixed ? (
          <div className="flex flex-col justify-end text-sm text-slate-700 sm:pb-2" data-testid="ticket-type-currency-note">
            {currency ? (
              t('currencyLocked', { currency: currency.toUpperCase() })
            ) : (
              <span>
                {t('currencyDefault', { currency: fixed.toUpperCase() })}{' '}
                <Link href="/settings" className="text-indigo-700 underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600">
                  {t('changeInSettings')}
                </Link>
              </span>
            )}
            {fieldError('price.currency') && (
              <span role="alert" className="text-red-700">
                {fieldError('price.currency')}
              </span>
            )}
          </div>
        ) : (
          <Field id="tt-currency" label={t('currency')} hint={t('currencyAsk')} error={fieldError('price.currency')}>
            {(control) => (
              <CurrencySelect {...control} value={cur} onChange={(e) => setCur(e.target.value)} placeholder={t('currencyChoose')} data-testid="ticket-type-currency" />
            )}
          </Field>
        )}
        <Field id="tt-quantity" label={t('quantity')} error={fieldError('quantity')}>
          {(control) => <Input {...control} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="numeric" placeholder={t('unlimited')} />}
        </Field>
        <Field id="tt-sales-end" label={t('salesEndLabel', { zone: zoneLabel })} hint={t('salesEndHint')} error={fieldError('salesEndAt')}>
          {(control) => <Input {...control} type="datetime-local" value={salesEnd} onChange={(e) => setSalesEnd(e.target.value)} />}
        </Field>
        <label className="flex w-fit cursor-pointer items-start gap-2 text-sm text-slate-800 sm:col-span-2">
          <input
            type="checkbox"
            checked={hidden}
            onChange={(e) => setHidden(e.target.checked)}
            className="mt-0.5 size-4 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
            data-testid="ticket-type-hidden-input"
          />
          <span>
            <span className="font-medium">{t('hiddenLabel')}</span>
            <span className="block text-slate-600">{t('hiddenHint')}</span>
          </span>
        </label>
        <div className="flex flex-wrap gap-2 sm:col-span-2">
          <Button type="submit" busy={running} disabled={!hydrated || name.trim() === ''} data-testid="ticket-type-add">
            {editing ? t('save', { name: editing.name }) : t('add')}
          </Button>
          {editing && (
            <Button
              variant="secondary"
              disabled={running}
              onClick={() => {
                clearForm();
                editController.cancel();
              }}
              data-testid="ticket-type-edit-cancel"
            >
              {t('cancelEdit')}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}
