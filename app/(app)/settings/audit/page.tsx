// /settings/audit: the current team's audit log, for its owners (`audit:read`;
// anyone else gets a 404, as the API answers 403): who refunded, changed a
// price or a capacity, cancelled, made or removed a code, a key, a webhook
// endpoint, a door device, invited or removed a member. Newest first, 50 a
// page ("Older entries" carries the filters); the filters are a plain GET
// form, so they work before the page's script has loaded.
import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale, getTranslations } from 'next-intl/server';
import { auditEntriesOf, auditFiltersOf } from '@/lib/audit/server';
import { AUDIT_ACTIONS, isKnownAction, type AuditEntryDto } from '@/lib/audit/schemas';
import { AUDIT_ACTOR_TYPES, REFUND_REASONS, type RefundReason } from '@/lib/enums';
import { formatMoney } from '@/lib/money';
import { teamPage } from '@/lib/teams/server';
import { Badge } from '@/components/ui/badge';
import { Button, ButtonLink } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DataCell, DataRowHeader, DataTable } from '@/components/ui/data-table';
import { Field } from '@/components/ui/field';
import { Input, Select } from '@/components/ui/input';
import { LocalDateTime } from '@/components/ui/local-date-time';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('audit');
  return { title: t('title') };
}

/** `event.capacity_changed` → `event_capacity_changed`: a message key has no dot. */
const actionKey = (action: string) => action.replace('.', '_');
const actorTone = { user: 'slate', api_key: 'indigo', device: 'green', system: 'slate' } as const;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null;
}

function money(value: unknown, locale: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  return typeof amount === 'number' && typeof currency === 'string' ? formatMoney(amount, currency, locale) : null;
}

export default async function AuditPage({ searchParams }: Props) {
  const { team } = await teamPage('/settings/audit', 'audit:read');
  const filters = auditFiltersOf(await searchParams);
  const page = await auditEntriesOf(team.id, filters);
  const t = await getTranslations('audit');
  const locale = await getLocale();
  const filtered = Boolean(filters.action || filters.actor || filters.from || filters.to);

  /** One line on what changed, from the entry's details (never a guest's data: there is none). */
  function summary(entry: AuditEntryDto): string | null {
    const d = entry.details;
    switch (entry.action) {
      case 'order.refunded':
      case 'order.refund_retried': {
        const amount = typeof d.amount === 'number' && typeof d.currency === 'string' ? formatMoney(d.amount, d.currency, locale) : null;
        const reason = REFUND_REASONS.includes(d.reason as RefundReason) ? t(`reasons.${d.reason as RefundReason}`) : null;
        return [amount, reason, d.ticketId ? t('details.oneTicket') : null].filter(Boolean).join(' · ') || null;
      }
      case 'event.capacity_changed':
        return t('details.capacity', { title: text(d.title) ?? '', from: text(d.from) ?? '?', to: text(d.to) ?? '?' });
      case 'event.price_changed':
        return t('details.price', { name: text(d.name) ?? '', from: money(d.from, locale) ?? '?', to: money(d.to, locale) ?? '?' });
      case 'event.cancelled':
        return text(d.title);
      case 'code.created':
      case 'code.updated':
      case 'code.deleted':
        return text(d.code);
      case 'code.bulk_created':
        return t('details.bulk', { count: typeof d.count === 'number' ? d.count : 0, prefix: text(d.prefix) ?? '' });
      case 'webhook_endpoint.created':
      case 'webhook_endpoint.deleted':
        return text(d.url);
      default:
        // Keys, devices, invitations, members: their name, email or role as the entry has it.
        return [text(d.name), text(d.email), text(d.role)].filter(Boolean).join(' · ') || null;
    }
  }

  const olderHref = page.nextCursor
    ? `/settings/audit?${new URLSearchParams(
        Object.entries({ ...filters, cursor: page.nextCursor }).filter((pair): pair is [string, string] => typeof pair[1] === 'string'),
      ).toString()}`
    : null;

  return (
    <div className="flex flex-col gap-6" data-testid="audit-page">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{t('title')}</h1>
        <p className="text-sm text-slate-700">{t('intro', { team: team.name })}</p>
      </div>

      <Card as="section" aria-labelledby="audit-filters-heading">
        <h2 id="audit-filters-heading" className="sr-only">
          {t('filters')}
        </h2>
        {/* Keyed by the filters: a client-side navigation (a "Clear filters" link) re-renders with new defaults, which uncontrolled fields would not take. */}
        <form key={[filters.action, filters.actor, filters.from, filters.to].join('|')} method="get" action="/settings/audit" className="grid grid-cols-2 gap-3 lg:grid-cols-[2fr_1.5fr_1fr_1fr_auto] lg:items-end" data-testid="audit-filters">
          <Field id="audit-action" label={t('action')} className="col-span-2 sm:col-span-1">
            {(control) => (
              <Select {...control} name="action" defaultValue={filters.action ?? ''} data-testid="audit-filter-action">
                <option value="">{t('anyAction')}</option>
                {AUDIT_ACTIONS.map((action) => (
                  <option key={action} value={action}>
                    {t(`actions.${actionKey(action)}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field id="audit-actor" label={t('actor')} className="col-span-2 sm:col-span-1">
            {(control) => (
              <Select {...control} name="actor" defaultValue={filters.actor ?? ''} data-testid="audit-filter-actor">
                <option value="">{t('anyActor')}</option>
                {AUDIT_ACTOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`actorTypes.${type}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {/* Both dates share the one hint below the form's row. */}
          <Field id="audit-from" label={t('from')} className="min-w-0">
            {(control) => <Input {...control} aria-describedby="audit-dates-hint" type="date" name="from" defaultValue={filters.from?.slice(0, 10) ?? ''} data-testid="audit-filter-from" />}
          </Field>
          <Field id="audit-to" label={t('to')} className="min-w-0">
            {(control) => <Input {...control} aria-describedby="audit-dates-hint" type="date" name="to" defaultValue={filters.to?.slice(0, 10) ?? ''} data-testid="audit-filter-to" />}
          </Field>
          <div className="col-span-2 flex gap-2 lg:col-span-1">
            <Button type="submit" data-testid="audit-filter-apply">
              {t('apply')}
            </Button>
            {filtered && (
              <ButtonLink href="/settings/audit" variant="ghost">
                {t('clear')}
              </ButtonLink>
            )}
          </div>
          <p id="audit-dates-hint" className="col-span-2 text-xs text-slate-600 lg:col-span-5">
            {t('datesHint')}
          </p>
        </form>
      </Card>

      {page.entries.length === 0 ? (
        <Card as="p" className="text-sm text-slate-700" data-testid="audit-empty">
          {filtered || filters.cursor ? t('emptyFiltered') : t('empty')}
        </Card>
      ) : (
        <DataTable
          caption={t('caption')}
          testId="audit-table"
          columns={[
            { id: 'when', header: t('colWhen') },
            { id: 'action', header: t('colAction') },
            { id: 'details', header: t('colDetails') },
            { id: 'who', header: t('colWho') },
          ]}
        >
          {page.entries.map((entry) => {
            const line = summary(entry);
            const eventId = text(entry.details.eventId) ?? (entry.target.type === 'event' ? entry.target.id : null);
            return (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-actor-type={entry.actor.type}>
                <DataRowHeader className="whitespace-nowrap font-normal text-slate-700 max-sm:text-xs">
                  <LocalDateTime at={entry.at} locale={locale} />
                </DataRowHeader>
                <DataCell label={t('colAction')} className="font-medium text-slate-900">
                  {isKnownAction(entry.action) ? t(`actions.${actionKey(entry.action)}`) : entry.action}
                </DataCell>
                <DataCell label={t('colDetails')} className="break-words sm:max-w-72">
                  <span data-testid="audit-details">{line ?? '—'}</span>
                  {eventId && (
                    <>
                      {' '}
                      <Link href={`/events/${eventId}`} className="text-xs text-indigo-700 underline underline-offset-2 hover:text-indigo-900">
                        {t('openEvent')}
                      </Link>
                    </>
                  )}
                </DataCell>
                <DataCell label={t('colWho')}>
                  <span className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                    <span className="break-words" data-testid="audit-actor">
                      {entry.actor.type === 'system' ? t('systemName') : (entry.actor.name ?? t('unknownActor'))}
                    </span>
                    {entry.actor.type !== 'user' && <Badge tone={actorTone[entry.actor.type]}>{t(`actorKinds.${entry.actor.type}`)}</Badge>}
                  </span>
                </DataCell>
              </tr>
            );
          })}
        </DataTable>
      )}

      {(olderHref || filters.cursor) && (
        <nav aria-label={t('pages')} className="flex flex-wrap gap-3">
          {filters.cursor && (
            <ButtonLink
              href={`/settings/audit?${new URLSearchParams(Object.entries({ ...filters, cursor: undefined }).filter((pair): pair is [string, string] => typeof pair[1] === 'string')).toString()}`}
              variant="secondary"
            >
              {t('newest')}
            </ButtonLink>
          )}
          {olderHref && (
            <ButtonLink href={olderHref} variant="secondary">
              {t('older')}
            </ButtonLink>
          )}
        </nav>
      )}
    </div>
  );
}
