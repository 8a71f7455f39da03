'use client';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useId, useState, useTransition } from 'react';
import { useTranslations } from 'next-intl';
import { apiCall } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import type { OrganiserRegistrationDto, RegistrationList } from '@/lib/registrations/schemas';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardTitle } from '@/components/ui/card';
import { cx } from '@/components/ui/cx';
import { DataTable } from '@/components/ui/data-table';
import { Input } from '@/components/ui/input';
import { Spinner } from '@/components/ui/spinner';
import { useHydrated } from '@/components/ui/use-hydrated';
import { AttendeeRow } from './attendee-row';

type Status = OrganiserRegistrationDto['status'];
const STATUSES: Status[] = ['confirmed', 'waitlisted', 'cancelled'];
const SEARCH_DEBOUNCE_MS = 300;

type Props = {
  eventId: string;
  timezone: string;
  status: Status | null;
  q: string;
  /** The first page, read by the server for this status and search. */
  initial: RegistrationList;
  /** The event sells tickets: each row's ticket type and order number get columns. */
  ticketed: boolean;
  /** The event's questions: a column each, which the organiser may hide. */
  questions?: { id: string; label: string }[];
  /** The viewer's role may cancel registrations (`attendees:write`); else no cancel is offered. */
  canCancel?: boolean;
  /** The role may refund: a paid ticket's cancel (a refund) is offered only then. */
  canRefund?: boolean;
  /** The viewer's role may admit attendees from the list (`checkin`); else the check-in column only says who is in. */
  canCheckIn?: boolean;
};

function listUrl(pathname: string, status: Status | null, q: string): string {
  const params = new URLSearchParams();
  if (status) params.set('status', status);
  if (q) params.set('q', q);
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** The organiser's attendee list: status tabs with counts, a debounced search kept in the URL, and paging by cursor. */
export function AttendeeList({ eventId, timezone, status, q, initial, ticketed, questions = [], canCancel = true, canCheckIn = true, canRefund = true }: Props) {
  const t = useTranslations('attendees');
  const tQuestions = useTranslations('questions');
  const [hiddenQuestions, setHiddenQuestions] = useState<string[]>([]);
  const answerColumns = questions.filter((question) => !hiddenQuestions.includes(question.id));
  const router = useRouter();
  const pathname = usePathname();
  const searchId = useId();
  const [rows, setRows] = useState(initial.registrations);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const [text, setText] = useState(q);
  const [searching, startSearch] = useTransition();
  const hydrated = useHydrated();

  // After router.refresh() (a cancellation moved people around) the server's first page replaces what was shown.
  useEffect(() => {
    setRows(initial.registrations);
    setCursor(initial.nextCursor);
  }, [initial]);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted === q) return;
    const timer = setTimeout(() => startSearch(() => router.replace(listUrl(pathname, status, wanted), { scroll: false })), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, q, status, pathname, router]);

  const loadMore = async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    setLoadFailed(false);
    const query = { cursor, status: status ?? undefined, q: q || undefined };
    const result = await apiCall(apiRoute('GET', '/api/events/[id]/registrations'), { params: { id: eventId }, query });
    setLoadingMore(false);
    if (!result.ok) {
      setLoadFailed(true);
      return;
    }
    setRows((shown) => [...shown, ...result.data.registrations]);
    setCursor(result.data.nextCursor);
  };

  const { counts } = initial;
  const total = counts.confirmed + counts.waitlisted + counts.cancelled;
  const tabs: { key: Status | null; label: string; count: number }[] = [
    { key: null, label: t('all'), count: total },
    ...STATUSES.map((s) => ({ key: s, label: t(`status.${s}`), count: counts[s] })),
  ];
  const filtered = status !== null || q !== '';
  const matching = status ? counts[status] : total;

  return (
    <div className="flex flex-col gap-4" data-testid="attendees-list" data-hydrated={hydrated ? 'true' : 'false'}>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <nav aria-label={t('tabs')}>
          <ul className="flex flex-wrap gap-2">
            {tabs.map((tab) => {
              const current = tab.key === status;
              return (
                <li key={tab.key ?? 'all'}>
                  <Link
                    href={listUrl(pathname, tab.key, q)}
                    scroll={false}
                    aria-current={current ? 'page' : undefined}
                    data-testid={`attendees-tab-${tab.key ?? 'all'}`}
                    className={cx(
                      'inline-flex min-h-10 items-center gap-2 rounded-lg border px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
                      current ? 'border-indigo-600 bg-indigo-50 text-indigo-900' : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
                    )}
                  >
                    {tab.label}
                    <span className="rounded-full bg-white/80 px-1.5 text-xs text-slate-700 ring-1 ring-slate-300" data-testid={`attendees-count-${tab.key ?? 'all'}`}>
                      {tab.count}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="flex flex-col gap-1.5 sm:w-72">
          <label htmlFor={searchId} className="text-sm font-medium text-slate-800">
            {t('searchLabel')}
          </label>
          <div className="relative">
            <Input
              id={searchId}
              type="search"
              value={text}
              placeholder={t('searchPlaceholder')}
              maxLength={200}
              autoComplete="off"
              onChange={(event) => setText(event.target.value)}
              data-testid="attendees-search"
            />
            {searching && (
              <span className="absolute top-1/2 right-3 -translate-y-1/2 text-slate-600" role="status" aria-label={t('searching')}>
                <Spinner />
              </span>
            )}
          </div>
        </div>
      </div>

      {questions.length > 0 && (
        <details className="rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="attendees-question-columns">
          <summary className="cursor-pointer font-medium text-slate-800">{tQuestions('columns')}</summary>
          <fieldset className="mt-2 flex flex-col gap-1">
            <legend className="sr-only">{tQuestions('columns')}</legend>
            <p className="text-xs text-slate-600">{tQuestions('columnsHint')}</p>
            {questions.map((question) => (
              <label key={question.id} className="flex min-h-10 items-center gap-2 text-slate-900">
                <input
                  type="checkbox"
                  className="size-4 accent-indigo-600"
                  checked={!hiddenQuestions.includes(question.id)}
                  onChange={(e) => setHiddenQuestions((hidden) => (e.target.checked ? hidden.filter((id) => id !== question.id) : [...hidden, question.id]))}
                  data-testid="attendees-question-toggle"
                />
                <span className="break-words">{question.label}</span>
              </label>
            ))}
          </fieldset>
        </details>
      )}

      {rows.length === 0 ? (
        <Card padding="none" className="p-8 text-center" data-testid="attendees-empty">
          <CardTitle as="p" size="base">
            {filtered ? t('emptyFilteredTitle') : t('emptyTitle')}
          </CardTitle>
          <CardDescription>{filtered ? t('emptyFilteredBody') : t('emptyBody')}</CardDescription>
          {q && (
            <Button variant="secondary" size="sm" className="mt-4" onClick={() => setText('')}>
              {t('clearSearch')}
            </Button>
          )}
        </Card>
      ) : (
        <DataTable
          caption={t('title')}
          testId="attendees-table"
          busy={searching}
          columns={[
            { id: 'name', header: t('columns.name') },
            ...(ticketed ? [{ id: 'ticketType', header: t('columns.ticketType') }, { id: 'order', header: t('columns.order') }] : []),
            { id: 'email', header: t('columns.email') },
            { id: 'status', header: t('columns.status') },
            { id: 'registeredAt', header: t('columns.registeredAt') },
            { id: 'checkIn', header: t('columns.checkIn') },
            ...answerColumns.map((question) => ({ id: `question-${question.id}`, header: question.label })),
            ...(canCancel ? [{ id: 'actions', header: t('columns.actions'), headerHidden: true }] : []),
          ]}
        >
          {rows.map((registration) => (
            <AttendeeRow
              key={registration.id}
              eventId={eventId}
              timezone={timezone}
              registration={registration}
              waitlistHead={counts.waitlisted > 0}
              ticketed={ticketed}
              onChanged={() => router.refresh()}
              answerColumns={answerColumns}
              canCancel={canCancel}
              canRefund={canRefund}
              canCheckIn={canCheckIn}
            />
          ))}
        </DataTable>
      )}

      {rows.length > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-700" data-testid="attendees-shown">
            {q ? null : t('shown', { shown: rows.length, total: matching })}
          </p>
          {cursor && (
            <Button variant="secondary" busy={loadingMore} onClick={() => void loadMore()} data-testid="attendees-load-more">
              {t('loadMore')}
            </Button>
          )}
        </div>
      )}
      {loadFailed && (
        <Alert tone="error" testId="attendees-load-error">
          {t('loadFailed')}
        </Alert>
      )}
    </div>
  );
}
