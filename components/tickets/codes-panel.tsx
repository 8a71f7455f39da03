'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute, apiUrl } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { BulkCodesInput, CodeDto, CreateCodeInput } from '@/lib/tickets/code-schemas';
import type { TicketTypeDto } from '@/lib/tickets/schemas';
import { formatMoney, minorPerMajor } from '@/lib/money';
import { wallTimeToInstant } from '@/lib/events/zoned-time';
import { formatEventTime } from '@/components/ui/event-time';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { AnchorButton, Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { useErrorText } from '@/components/ui/use-error-text';
import { useHydrated } from '@/components/ui/use-hydrated';

type Mode = 'one' | 'bulk';
/** Codes listed before "Show all". */
const SHOWN = 20;
type DiscountKind = 'percent' | 'amount' | 'none';
type Pending = { kind: 'disable' | 'enable' | 'delete'; code: CodeDto };
type Create = { mode: 'one'; body: CreateCodeInput } | { mode: 'bulk'; body: BulkCodesInput };

/**
 * The event page's discount and access codes: each with its discount, uses
 * (used / held / remaining), validity and revenue; disable, enable and
 * delete (while no order named it) behind a confirmation; a form that
 * creates one code or N single-use codes with a prefix (then downloadable as
 * CSV). Validity is on the clocks of the event's zone. One Idempotency-Key
 * per attempt through the ActionController.
 */
export function CodesPanel({
  eventId,
  codes,
  ticketTypes,
  currency,
  timeZone,
  zoneLabel,
}: {
  eventId: string;
  codes: CodeDto[];
  ticketTypes: TicketTypeDto[];
  currency: string;
  timeZone: string;
  zoneLabel: string;
}) {
  const t = useTranslations('codes');
  const tValidation = useTranslations('validation');
  const locale = useLocale();
  const router = useRouter();
  const hydrated = useHydrated();
  const errorText = useErrorText();
  const [mode, setMode] = useState<Mode>('one');
  const [code, setCode] = useState('');
  const [prefix, setPrefix] = useState('');
  const [count, setCount] = useState('');
  const [kind, setKind] = useState<DiscountKind>('percent');
  const [value, setValue] = useState('');
  const [typeIds, setTypeIds] = useState<string[]>([]);
  const [unlocks, setUnlocks] = useState<string[]>([]);
  const [maxUses, setMaxUses] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [made, setMade] = useState<number | null>(null);
  // A school's 300 codes: the first few here, all of them in the CSV or on demand.
  const [showAll, setShowAll] = useState(false);

  const [state, controller] = useActionController<Create, { codes: CodeDto[] } | { code: CodeDto }>(async (input: Create, { correlationId, signal }) => {
    if (input.mode === 'bulk') return apiCall(apiRoute('POST', '/api/events/[id]/codes/bulk'), { params: { id: eventId }, body: input.body, correlationId, signal });
    return apiCall(apiRoute('POST', '/api/events/[id]/codes'), { params: { id: eventId }, body: input.body, correlationId, signal });
  });
  const change = useConfirmedAction<Pending, { code: CodeDto } | null>(async ({ kind: what, code: target }: Pending, { correlationId, signal }) => {
    if (what === 'delete') return apiCall(apiRoute('DELETE', '/api/events/[id]/codes/[cid]'), { params: { id: eventId, cid: target.id }, correlationId, signal });
    return apiCall(apiRoute('PATCH', '/api/events/[id]/codes/[cid]'), {
      params: { id: eventId, cid: target.id },
      body: { status: what === 'disable' ? 'disabled' : 'active' },
      correlationId,
      signal,
    });
  });

  useEffect(() => {
    if (state.status !== 'succeeded') return;
    setMade('codes' in state.result ? state.result.codes.length : 1);
    setCode('');
    setPrefix('');
    setCount('');
    setValue('');
    setMaxUses('');
    setValidFrom('');
    setValidUntil('');
    setTypeIds([]);
    setUnlocks([]);
    router.refresh();
  }, [state, router]);

  const asked = change.target;
  const fieldError = (...fields: string[]) => {
    if (state.status !== 'failed') return undefined;
    const keys = fields.flatMap((field) => state.error.fieldErrors?.[field] ?? []);
    return keys.length === 0 ? undefined : keys.map((k) => (tValidation.has(k) ? tValidation(k) : k)).join(' ');
  };
  const instant = (wall: string) => (wall === '' ? undefined : (wallTimeToInstant(wall, timeZone)?.toISOString() ?? wall));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setMade(null);
    const number = Number(value.replace(',', '.'));
    const discount =
      kind === 'percent'
        ? { percent: Number.isFinite(number) ? Math.round(number) : Number.NaN }
        : kind === 'amount'
          ? { amount: { amount: Number.isFinite(number) ? Math.round(number * minorPerMajor(currency)) : Number.NaN, currency } }
          : undefined;
    const rule = {
      ...(discount && { discount }),
      ...(typeIds.length > 0 && { ticketTypeIds: typeIds }),
      ...(unlocks.length > 0 && { unlocks }),
      ...(maxUses.trim() !== '' && { maxUses: Number(maxUses) }),
      ...(validFrom !== '' && { validFrom: instant(validFrom) }),
      ...(validUntil !== '' && { validUntil: instant(validUntil) }),
    };
    if (mode === 'bulk') void controller.submit({ mode, body: { prefix, count: Number(count), ...rule } });
    else void controller.submit({ mode, body: { code, ...rule } });
  };
  const toggle = (list: string[], set: (next: string[]) => void, id: string, on: boolean) => set(on ? [...list, id] : list.filter((x) => x !== id));
  const discountText = (c: CodeDto) =>
    c.discount === null ? t('unlockOnly') : 'percent' in c.discount ? `−${c.discount.percent} %` : `−${formatMoney(c.discount.amount.amount, c.discount.amount.currency, locale)}`;
  const validity = (c: CodeDto) => {
    if (c.validFrom === null && c.validUntil === null) return t('always');
    const from = c.validFrom ? formatEventTime(c.validFrom, timeZone, locale) : '…';
    const until = c.validUntil ? formatEventTime(c.validUntil, timeZone, locale) : '…';
    return `${from} – ${until}`;
  };
  const visibleTypes = ticketTypes.filter((type) => !type.hidden);
  const hiddenTypes = ticketTypes.filter((type) => type.hidden);
  const running = state.status === 'running';
  const checkbox = 'mt-0.5 size-4 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

  return (
    <section className="flex flex-col gap-4" aria-labelledby="codes-heading" data-testid="codes">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="codes-heading" className="text-lg font-semibold">
          {t('title')}
        </h2>
        {codes.length > 0 && (
          <AnchorButton href={apiUrl('/api/events/[id]/codes.csv', { id: eventId })} download size="sm" variant="secondary" data-testid="codes-csv">
            {t('downloadCsv')}
          </AnchorButton>
        )}
      </div>
      {codes.length === 0 ? (
        <p className="text-sm text-slate-700" data-testid="codes-empty">
          {t('empty')}
        </p>
      ) : (
        <DataTable
          caption={t('title')}
          labelledBy="codes-heading"
          columns={[
            { id: 'code', header: t('code') },
            { id: 'discount', header: t('discount') },
            { id: 'uses', header: t('uses'), className: 'text-right' },
            { id: 'revenue', header: t('revenue'), className: 'text-right' },
            { id: 'actions', header: t('actions'), headerHidden: true },
          ]}
        >
          {(showAll ? codes : codes.slice(0, SHOWN)).map((c) => (
            <tr key={c.id} data-testid="code-row" data-code={c.code}>
              <DataRowHeader className="break-all font-mono sm:break-normal sm:whitespace-nowrap">
                {c.code}
                {c.status === 'disabled' && (
                  <span className="ml-2 align-middle font-sans">
                    <Badge testId="code-disabled">{t('disabled')}</Badge>
                  </span>
                )}
                <span className="block font-sans text-xs font-normal whitespace-normal text-slate-600" data-testid="code-valid">
                  {t('validShort', { when: validity(c) })}
                </span>
              </DataRowHeader>
              <DataCell label={t('discount')}>{discountText(c)}</DataCell>
              <DataCell className="text-right tabular-nums" label={t('uses')} data-testid="code-uses">
                {t('usesValue', { used: c.used, held: c.held })}
                <span className="block text-xs text-slate-600">{c.remaining === null ? t('unlimited') : t('remaining', { count: c.remaining })}</span>
              </DataCell>
              <DataCell className="text-right tabular-nums" label={t('revenue')} data-testid="code-revenue">
                {formatMoney(c.revenue, currency, locale)}
              </DataCell>
              <DataCell actions>
                <span className="flex flex-wrap justify-end gap-2 sm:flex-col sm:items-end">
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={!hydrated}
                    onClick={(e) => change.ask({ kind: c.status === 'active' ? 'disable' : 'enable', code: c }, e.currentTarget)}
                    data-testid={c.status === 'active' ? 'code-disable' : 'code-enable'}
                  >
                    {c.status === 'active' ? t('disable') : t('enable')}
                  </Button>
                  {c.used === 0 && c.held === 0 && (
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={!hydrated}
                      onClick={(e) => change.ask({ kind: 'delete', code: c }, e.currentTarget)}
                      data-testid="code-delete"
                    >
                      {t('delete')}
                    </Button>
                  )}
                </span>
              </DataCell>
            </tr>
          ))}
        </DataTable>
      )}
      {codes.length > SHOWN && (
        <Button variant="secondary" size="sm" className="self-start" onClick={() => setShowAll((all) => !all)} aria-expanded={showAll} data-testid="codes-show-all">
          {showAll ? t('showFewer') : t('showAll', { count: codes.length })}
        </Button>
      )}
      <ConfirmDialog
        {...change.dialog}
        title={asked ? t(`confirm.${asked.kind}.title`, { code: asked.code.code }) : ''}
        description={asked ? t(`confirm.${asked.kind}.body`) : undefined}
        confirmLabel={asked ? t(`confirm.${asked.kind}.action`) : ''}
        cancelLabel={t('confirm.keep')}
        tone={asked?.kind === 'enable' ? 'primary' : 'danger'}
        testId="code-confirm"
        confirmTestId="code-confirm-yes"
        cancelTestId="code-confirm-no"
      >
        {change.error && <Alert tone="error" testId="code-change-error">{change.error}</Alert>}
      </ConfirmDialog>

      <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-2" data-testid="code-form">
        <fieldset className="flex flex-wrap gap-4 text-sm sm:col-span-2">
          <legend className="sr-only">{t('modeLegend')}</legend>
          {(['one', 'bulk'] as const).map((m) => (
            <label key={m} className="flex cursor-pointer items-center gap-2">
              <input type="radio" name="code-mode" value={m} checked={mode === m} onChange={() => setMode(m)} className={checkbox} data-testid={`code-mode-${m}`} />
              {t(`mode.${m}`)}
            </label>
          ))}
        </fieldset>
        {state.status === 'failed' && state.error.code !== 'VALIDATION_FAILED' && (
          <div className="sm:col-span-2">
            <Alert tone="error" testId="code-error">
              {errorText(state.error)}
            </Alert>
          </div>
        )}
        {made !== null && state.status === 'succeeded' && (
          <div className="sm:col-span-2">
            <Alert tone="success" testId="code-created">
              {t('created', { count: made })}
            </Alert>
          </div>
        )}
        {mode === 'one' ? (
          <Field id="code-code" label={t('code')} hint={t('codeHint')} error={fieldError('code')}>
            {(control) => <Input {...control} value={code} onChange={(e) => setCode(e.target.value)} autoCapitalize="characters" spellCheck={false} data-testid="code-input" />}
          </Field>
        ) : (
          <>
            <Field id="code-prefix" label={t('prefix')} hint={t('prefixHint')} error={fieldError('prefix')}>
              {(control) => <Input {...control} value={prefix} onChange={(e) => setPrefix(e.target.value)} autoCapitalize="characters" spellCheck={false} data-testid="code-prefix" />}
            </Field>
            <Field id="code-count" label={t('count')} error={fieldError('count')}>
              {(control) => <Input {...control} value={count} onChange={(e) => setCount(e.target.value)} inputMode="numeric" data-testid="code-count" />}
            </Field>
          </>
        )}
        <Field id="code-kind" label={t('discountKind')}>
          {(control) => (
            <Select {...control} value={kind} onChange={(e) => setKind(e.target.value as DiscountKind)} data-testid="code-kind">
              <option value="percent">{t('kind.percent')}</option>
              <option value="amount">{t('kind.amount', { currency: currency.toUpperCase() })}</option>
              <option value="none">{t('kind.none')}</option>
            </Select>
          )}
        </Field>
        {kind !== 'none' && (
          <Field
            id="code-value"
            label={kind === 'percent' ? t('percentLabel') : t('amountLabel', { currency: currency.toUpperCase() })}
            error={fieldError('discount', 'discount.percent', 'discount.amount.amount', 'discount.amount', 'discount.amount.currency')}
          >
            {(control) => <Input {...control} value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" data-testid="code-value" />}
          </Field>
        )}
        {kind === 'none' && fieldError('discount') && (
          <p role="alert" className="text-sm text-red-700 sm:col-span-2">
            {fieldError('discount')}
          </p>
        )}
        <Field id="code-max-uses" label={t('maxUses')} hint={mode === 'bulk' ? t('maxUsesBulkHint') : t('maxUsesHint')} error={fieldError('maxUses')}>
          {(control) => (
            <Input {...control} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} inputMode="numeric" placeholder={mode === 'bulk' ? '1' : t('unlimited')} data-testid="code-max-uses" />
          )}
        </Field>
        {visibleTypes.length > 1 && (
          <fieldset className="flex flex-col gap-1 text-sm sm:col-span-2">
            <legend className="mb-1 font-medium text-slate-800">{t('appliesTo')}</legend>
            <p className="text-slate-600">{t('appliesToHint')}</p>
            {visibleTypes.map((type) => (
              <label key={type.id} className="flex cursor-pointer items-start gap-2">
                <input type="checkbox" checked={typeIds.includes(type.id)} onChange={(e) => toggle(typeIds, setTypeIds, type.id, e.target.checked)} className={checkbox} />
                {type.name}
              </label>
            ))}
          </fieldset>
        )}
        {hiddenTypes.length > 0 && (
          <fieldset className="flex flex-col gap-1 text-sm sm:col-span-2">
            <legend className="mb-1 font-medium text-slate-800">{t('unlocks')}</legend>
            <p className="text-slate-600">{t('unlocksHint')}</p>
            {hiddenTypes.map((type) => (
              <label key={type.id} className="flex cursor-pointer items-start gap-2">
                <input
                  type="checkbox"
                  checked={unlocks.includes(type.id)}
                  onChange={(e) => toggle(unlocks, setUnlocks, type.id, e.target.checked)}
                  className={checkbox}
                  data-testid="code-unlock"
                />
                {type.name}
              </label>
            ))}
          </fieldset>
        )}
        <Field id="code-valid-from" label={t('validFrom', { zone: zoneLabel })} error={fieldError('validFrom')}>
          {(control) => <Input {...control} type="datetime-local" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />}
        </Field>
        <Field id="code-valid-until" label={t('validUntil', { zone: zoneLabel })} error={fieldError('validUntil')}>
          {(control) => <Input {...control} type="datetime-local" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />}
        </Field>
        <div className="sm:col-span-2">
          <Button
            type="submit"
            busy={running}
            disabled={!hydrated || (mode === 'one' ? code.trim() === '' : prefix.trim() === '' || count.trim() === '')}
            data-testid="code-add"
          >
            {mode === 'one' ? t('add') : t('addBulk')}
          </Button>
        </div>
      </form>
    </section>
  );
}
