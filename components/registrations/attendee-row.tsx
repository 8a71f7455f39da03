'use client';
import Link from 'next/link';
import { useRef, useState } from 'react';
import { useLocale, useTranslations } from 'next-intl';
import { apiCall, type ClientError } from '@/lib/actions/api-client';
import { apiRoute } from '@/lib/api-routes';
import { useActionController } from '@/lib/actions/use-action-controller';
import type { OrganiserRegistrationDto } from '@/lib/registrations/schemas';
import { shownAnswer } from '@/lib/questions/schemas';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DataCell, DataRowHeader, TruncatedText } from '@/components/ui/data-table';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { useErrorText } from '@/components/ui/use-error-text';
import { formatMoney } from '@/lib/money';
import { useHydrated } from '@/components/ui/use-hydrated';

type Registration = OrganiserRegistrationDto;
type Person = { name: string; email: string };

const REGISTRATIONS = apiRoute('GET', '/api/events/[id]/registrations');

const statusTone = { confirmed: 'green', waitlisted: 'indigo', cancelled: 'red' } as const;

/** Our own codes get the page's words; anything else is the server's sentence (already in the request's language). */
function useActionErrorText(): (error: ClientError) => string {
  const t = useTranslations('attendees.errors');
  return useErrorText((error) => (error.code === 'NOT_CONFIRMED' || error.code === 'NOT_FOUND' ? t(error.code) : error.message));
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A formatter is costly to build and a page has 50 rows with two times each: one per locale, zone and style. */
function formatIn(at: string, timeZone: string, locale: string, style: 'dateTime' | 'time'): string {
  const key = `${locale}|${timeZone}|${style}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, style === 'time' ? { timeStyle: 'short', timeZone } : { dateStyle: 'medium', timeStyle: 'short', timeZone });
    formats.set(key, format);
  }
  return format.format(new Date(at));
}

/** The first person on the waitlist (who a freed seat goes to), or null. */
async function waitlistHead(eventId: string): Promise<Person | null> {
  const result = await apiCall(REGISTRATIONS, { params: { id: eventId }, query: { status: 'waitlisted', limit: 1 } });
  const first = result.ok ? result.data.registrations[0] : undefined;
  return first ? { name: first.name, email: first.email } : null;
}

/** Whether that person now holds a confirmed registration (the promotion happened). */
async function isConfirmed(eventId: string, person: Person): Promise<boolean> {
  const result = await apiCall(REGISTRATIONS, { params: { id: eventId }, query: { status: 'confirmed', q: person.email, limit: 200 } });
  return result.ok && result.data.registrations.some((r) => r.email.toLowerCase() === person.email.toLowerCase());
}

type Props = {
  eventId: string;
  timezone: string;
  registration: Registration;
  /** Whether anyone is waiting (so cancelling a confirmed registration promotes). */
  waitlistHead: boolean;
  /** After a cancellation is acknowledged: the list re-reads (statuses, positions, counts). */
  onChanged: () => void;
  /** The list has ticket type and order columns. */
  ticketed: boolean;
  /** The question columns shown: each cell the answer's text as given. */
  answerColumns?: { id: string; label: string }[];
  /** The viewer's role may cancel (`attendees:write`): the actions cell and its dialog. */
  canCancel?: boolean;
  /** The role may refund (orders:refund): a paid ticket is cancelled through a refund, so without it its cancel is not offered. */
  canRefund?: boolean;
  /** The viewer's role may check in from the list (`checkin`). */
  canCheckIn?: boolean;
};

export function AttendeeRow({ eventId, timezone, registration, waitlistHead: someoneWaits, onChanged, ticketed, answerColumns = [], canCancel = true, canCheckIn = true, canRefund = true }: Props) {
  const t = useTranslations('attendees');
  const tQuestions = useTranslations('questions');
  const locale = useLocale();
  const hydrated = useHydrated();
  const errorText = useActionErrorText();
  const params = { id: eventId, rid: registration.id };

  const [checkIn, checkInController] = useActionController((_payload: null, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/events/[id]/registrations/[rid]/check-in'), { params, correlationId, signal }),
  );
  const [cancel, cancelController] = useActionController((_payload: null, { correlationId, signal }) =>
    apiCall(apiRoute('POST', '/api/events/[id]/registrations/[rid]/cancel'), { params, correlationId, signal }),
  );
  const [dialogOpen, setDialogOpen] = useState(false);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const [next, setNext] = useState<Person | null>(null);
  const [promotion, setPromotion] = useState<{ person: Person | null } | null>(null);

  const ticket = registration.ticket;
  // A paid ticket is cancelled through a refund of its price (docs/api.md): the dialog says how much.
  const refundOnCancel = ticket?.paid && ticket.price.amount > 0 ? formatMoney(ticket.price.amount, ticket.price.currency, locale) : null;
  const refundStarted = cancel.status === 'succeeded' && cancel.result.refund?.status === 'pending' ? cancel.result.refund : null;
  const checkedInAt = checkIn.status === 'succeeded' ? checkIn.result.registration.checkedInAt : registration.checkedInAt;
  const status = cancel.status === 'succeeded' ? cancel.result.registration.status : registration.status;
  const checkingIn = checkIn.status === 'running';
  const cancelling = cancel.status === 'running';

  const openCancel = () => {
    setPromotion(null);
    setNext(null);
    cancelController.reset();
    setDialogOpen(true);
    if (registration.status === 'confirmed' && someoneWaits) void waitlistHead(eventId).then(setNext);
  };
  const confirmCancel = async () => {
    const head = next;
    await cancelController.submit(null);
    // A ticketed event has no waitlist: nobody is promoted.
    if (cancelController.getState().status !== 'succeeded' || registration.ticket) return;
    setPromotion({ person: head && (await isConfirmed(eventId, head)) ? head : null });
  };
  const closeDialog = () => {
    if (cancelling) return;
    setDialogOpen(false);
    if (cancelController.getState().status === 'succeeded') onChanged();
  };

  return (
    <tr data-testid="attendee-row" data-registration-id={registration.id} data-status={status} className="align-top">
      <DataRowHeader className="break-words" data-testid="attendee-name">
        {registration.name}
      </DataRowHeader>
      {ticketed && (
        <>
          <DataCell className="text-slate-700" label={t('columns.ticketType')} data-testid="attendee-ticket-type">
            {ticket ? <span className="break-words">{ticket.ticketType}</span> : <span className="text-slate-500">{t('freeRegistration')}</span>}
          </DataCell>
          <DataCell className="whitespace-nowrap" label={t('columns.order')} data-testid="attendee-order">
            {ticket ? (
              <Link
                href={`/events/${eventId}/orders`}
                className="rounded font-medium text-indigo-700 tabular-nums underline underline-offset-2 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                aria-label={t('orderLabel', { number: ticket.orderNumber })}
              >
                {t('orderNumber', { number: ticket.orderNumber })}
              </Link>
            ) : (
              <span className="text-slate-500">—</span>
            )}
          </DataCell>
        </>
      )}
      <DataCell className="text-slate-700" data-testid="attendee-email" label={t('columns.email')}>
        <TruncatedText text={registration.email} />
      </DataCell>
      <DataCell className="whitespace-nowrap" label={t('columns.status')}>
        <Badge tone={statusTone[status]} testId="attendee-status">
          {t(`status.${status}`)}
        </Badge>
        {status === 'waitlisted' && registration.position !== null && (
          <span className="ml-2 text-slate-700" data-testid="attendee-position">
            {t('position', { position: registration.position })}
          </span>
        )}
      </DataCell>
      <DataCell className="whitespace-nowrap text-slate-700" data-testid="attendee-registered-at" label={t('columns.registeredAt')}>
        <time dateTime={registration.createdAt}>{formatIn(registration.createdAt, timezone, locale, 'dateTime')}</time>
      </DataCell>
      <DataCell label={t('columns.checkIn')}>
        {checkedInAt ? (
          <span className="font-medium whitespace-nowrap text-emerald-800" data-testid="attendee-checked-in" data-checked-in-at={checkedInAt}>
            {t('checkedInAt', { time: formatIn(checkedInAt, timezone, locale, 'time') })}
          </span>
        ) : status === 'confirmed' && canCheckIn ? (
          <Button
            size="sm"
            variant="secondary"
            busy={checkingIn}
            disabled={!hydrated}
            aria-label={t('checkInLabel', { name: registration.name })}
            onClick={() => void checkInController.submit(null)}
            data-testid="attendee-check-in"
          >
            {t('checkIn')}
          </Button>
        ) : (
          <span className="text-slate-500">{t('notCheckedIn')}</span>
        )}
        {checkIn.status === 'failed' && (
          <p role="alert" className="mt-1 text-xs text-red-700" data-testid="attendee-check-in-error">
            {errorText(checkIn.error)}
          </p>
        )}
      </DataCell>
      {answerColumns.map((column) => {
        const answer = registration.answers.find((a) => a.questionId === column.id);
        return (
          <DataCell key={column.id} className="max-w-60 break-words text-slate-800" label={column.label} data-testid="attendee-answer" data-question-id={column.id}>
            {answer ? (shownAnswer(answer, { yes: tQuestions('yes'), no: tQuestions('no') }) ?? <span className="text-slate-500">{t('answerErased')}</span>) : <>
                <span className="text-slate-400" aria-hidden="true">
                  —
                </span>
                <span className="sr-only">{t('noAnswer')}</span>
              </>}
          </DataCell>
        );
      })}
      {canCancel && (
        <DataCell className="text-right" actions>
          {status !== 'cancelled' && (!refundOnCancel || canRefund) && (
            <Button
              ref={cancelButton}
              size="sm"
              variant="ghost"
              disabled={!hydrated}
              aria-label={ticket ? t('cancelTicketLabel', { name: registration.name }) : t('cancelLabel', { name: registration.name })}
              onClick={openCancel}
              data-testid="attendee-cancel"
            >
              {ticket ? t('cancelTicket') : t('cancel')}
            </Button>
          )}
          <ConfirmDialog
            open={dialogOpen}
            title={ticket ? t('cancelTicketTitle') : t('cancelTitle')}
            description={
              refundOnCancel
                ? t('cancelTicketRefunds', { name: registration.name, email: registration.email, amount: refundOnCancel, number: ticket?.orderNumber ?? '' })
                : ticket
                  ? t('cancelTicketBody', { name: registration.name, email: registration.email })
                  : t('cancelBody', { name: registration.name, email: registration.email })
            }
            confirmLabel={refundOnCancel ? t('cancelTicketConfirm', { amount: refundOnCancel }) : t('cancelConfirm')}
            cancelLabel={t('cancelKeep')}
            onConfirm={() => void confirmCancel()}
            onCancel={closeDialog}
            pending={cancelling}
            doneActions={
              cancel.status === 'succeeded' ? (
                <Button onClick={closeDialog} data-testid="cancel-registration-close" autoFocus>
                  {t('cancelClose')}
                </Button>
              ) : undefined
            }
            testId="cancel-registration-dialog"
            confirmTestId="cancel-registration-confirm"
            cancelTestId="cancel-registration-keep"
            returnFocus={cancelButton}
          >
            {cancel.status !== 'succeeded' && next && <p data-testid="cancel-registration-next">{t('cancelPromotes', { name: next.name })}</p>}
            {cancel.status === 'succeeded' && (
              <div role="status" className="flex flex-col gap-1" data-testid="cancel-registration-result">
                <p className="font-medium text-slate-900">
                  {refundStarted && ticket
                    ? t('cancelRefundStarted', { name: registration.name, amount: formatMoney(refundStarted.amount, ticket.price.currency, locale) })
                    : t('cancelDone', { name: registration.name })}
                </p>
                {promotion && (
                  <p data-testid="cancel-registration-promotion">
                    {promotion.person ? t('promoted', { name: promotion.person.name }) : registration.status === 'confirmed' ? t('notPromoted') : null}
                  </p>
                )}
              </div>
            )}
            {cancel.status === 'failed' && (
              <p role="alert" className="text-red-700" data-testid="cancel-registration-error">
                {errorText(cancel.error)}
              </p>
            )}
          </ConfirmDialog>
        </DataCell>
      )}
    </tr>
  );
}
