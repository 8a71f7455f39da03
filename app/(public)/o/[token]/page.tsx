// /o/<token>: a guest's order: its receipt (number, items, amounts, taxes as
// zero) and each ticket in its own element with a stable data-ticket-id and,
// while it is confirmed, its QR code for the door with its reference under it,
// or when it was admitted. Once paid: "You're going", the venue with a map
// link (OpenStreetMap, no embed), add to calendar, and a print view with one
// ticket per page (print styles: everything but the tickets hidden). While the
// payment is being confirmed (the guest came back before the webhook), the
// page says so and reads the order again until it is settled.
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { guestOrder, guestOrderAnswers } from '@/lib/tickets/server';
import { publicQuestionsOf } from '@/lib/questions/server';
import { AnswersEditor, type AnswerBlock } from '@/components/questions/answers-editor';
import { clock } from '@/lib/clock';
import { formatMoney } from '@/lib/money';
import { formatEventRange } from '@/components/ui/event-time';
import { pageOrigin } from '@/lib/http/request-meta';
import { TicketQr } from '@/components/checkin/ticket-qr';
import { AddToCalendar } from '@/components/registrations/add-to-calendar';
import { CancelOrder } from '@/components/tickets/cancel-order';
import { OrderPoller } from '@/components/tickets/order-poller';
import { PrintTickets } from '@/components/tickets/print-tickets';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Card, CardTitle } from '@/components/ui/card';

type Props = { params: Promise<{ token: string }>; searchParams: Promise<{ state?: string | string[] }> };

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('orderPage');
  return { title: t('title'), robots: { index: false, follow: false } };
}

const statusTone = { pending_payment: 'indigo', confirmed: 'green', expired: 'slate', cancelled: 'red', refunded: 'slate' } as const;

export default async function OrderPage({ params, searchParams }: Props) {
  const { token } = await params;
  const { state } = await searchParams;
  const found = await guestOrder(token);
  if (!found) notFound();
  const { order, event, tickets, paymentUrl } = found;
  const t = await getTranslations('orderPage');
  const ticketT = await getTranslations('checkin.ticket');
  const locale = await getLocale();
  const money = (amount: number) => formatMoney(amount, order.total.currency, locale);
  const confirming = order.status === 'pending_payment' && state === 'success';
  const started = Date.parse(event.startsAt) <= clock().now();
  const admitted = tickets.some((ticket) => ticket.checkedInAt !== null);
  // A refund under way is not asked for twice; a ticket used at the door is not the guest's to refund (ALREADY_ADMITTED).
  const cancellable =
    event.status === 'published' && !started && !admitted && order.refundPending === 0 && (order.status === 'pending_payment' || order.status === 'confirmed');
  // The answers: the order's, and each confirmed ticket's holder's, editable until the event starts.
  const questions = await publicQuestionsOf(event.slug);
  const given = await guestOrderAnswers(token);
  const orderTypes = order.items.map((item) => item.ticketTypeId);
  const applies = (ids: readonly string[], typeIds: readonly string[]) => ids.length === 0 || ids.some((id) => typeIds.includes(id));
  const tQuestions = await getTranslations('questions');
  const holderBlocks = tickets.some((ticket) => ticket.status === 'confirmed' && questions.some((q) => q.per === 'ticket'));
  const answerBlocks: AnswerBlock[] = [
    { id: 'answers', title: holderBlocks ? tQuestions('forOrder') : null, questions: questions.filter((q) => q.per === 'order' && applies(q.ticketTypeIds, orderTypes)), answers: given?.answers ?? [] },
    ...tickets
      .filter((ticket) => ticket.status === 'confirmed')
      .map((ticket, n) => ({
        id: `holders.${ticket.id}`,
        title: tQuestions('holderTitle', { number: n + 1, type: ticket.ticketType, name: ticket.holder }),
        questions: questions.filter((q) => q.per === 'ticket' && applies(q.ticketTypeIds, [ticket.ticketTypeId])),
        answers: given?.holders[ticket.id] ?? [],
      })),
  ];
  const answersEditable = event.status === 'published' && !started && (order.status === 'confirmed' || order.status === 'pending_payment');
  // After running out or cancelling it themselves, the guest may start again from the public page while it still sells.
  const chooseAgain =
    event.status === 'published' && !started && (order.status === 'expired' || (order.status === 'cancelled' && order.cancelReason === 'guest'));
  const timeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timezone });
  const going = order.status === 'confirmed' && event.status !== 'cancelled';
  const venue = event.location.type === 'in_person' ? event.location.address : null;
  const when = formatEventRange(event.startsAt, event.endsAt, event.timezone, locale);
  const printable = tickets.some((ticket) => ticket.code !== null);
  // What a code took off (an access code that only unlocked a type took nothing: no discount line).
  const discounted = order.items.reduce((n, item) => n + item.discount.amount, 0);

  return (
    <article className="flex flex-col gap-6" data-testid="order-page" data-order-status={order.status}>
      <OrderPoller active={order.status === 'pending_payment'} />
      <div className="flex flex-col gap-6 print:hidden">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">{t('heading', { number: order.number })}</h1>
          <Badge tone={statusTone[order.status]} testId="order-status">
            {t(`status.${order.status}`)}
          </Badge>
        </div>
        <p className="text-slate-800">
          <Link href={`/e/${event.slug}`} className="font-medium underline underline-offset-2">
            {event.title}
          </Link>
          {' · '}
          {when}
        </p>
        {going && (
          <Alert tone="success" title={t('going')} testId="order-going">
            {t('goingBody')}
          </Alert>
        )}
        {going && (
          <Card as="section" aria-labelledby="venue-heading" className="flex flex-col gap-4" data-testid="order-venue">
            <div>
              <CardTitle id="venue-heading">{t('venue')}</CardTitle>
              {venue ? (
                <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-2">
                  <p className="break-words text-slate-800">{venue}</p>
                  <a
                    href={`https://www.openstreetmap.org/search?query=${encodeURIComponent(venue)}`}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="text-sm font-medium text-indigo-700 underline underline-offset-2"
                    data-testid="order-map"
                  >
                    {t('map')}
                    <span className="sr-only"> {t('newTab')}</span>
                  </a>
                </div>
              ) : (
                <p className="mt-1 text-slate-800">{t('online')}</p>
              )}
            </div>
            <AddToCalendar event={event} pageUrl={`${await pageOrigin()}/e/${event.slug}`} />
          </Card>
        )}
        {confirming && (
          <Alert tone="info" testId="payment-confirming">
            {t('confirming')}
          </Alert>
        )}
        {order.status === 'pending_payment' && !confirming && paymentUrl && (
          <Alert tone="warning" testId="payment-pending">
            <p>{t('pending')}</p>
            <ButtonLink href={paymentUrl} className="mt-2">
              {t('pay')}
            </ButtonLink>
          </Alert>
        )}
        {order.status === 'pending_payment' && !confirming && paymentUrl && state === 'cancelled' && (
          <Alert tone="info" testId="payment-not-completed">
            {t('paymentNotCompleted', { time: timeFormat.format(new Date(order.holdExpiresAt)) })}
          </Alert>
        )}
        {order.status === 'expired' && (
          <Alert tone="warning" testId="order-expired">
            {t('expired')}
          </Alert>
        )}
        {order.status === 'cancelled' && (
          <Alert tone={order.cancelReason === 'guest' ? 'info' : 'warning'} testId="order-cancelled">
            {t(`cancelled.${order.cancelReason ?? 'unknown'}`)}
          </Alert>
        )}
        {chooseAgain && (
          <ButtonLink href={`/e/${event.slug}`} variant="secondary" className="self-start">
            {t('chooseAgain')}
          </ButtonLink>
        )}
        {order.refundPending > 0 && order.status !== 'refunded' && (
          <Alert tone="info" testId="refund-pending">
            {t('refundPending', { amount: money(order.refundPending) })}
          </Alert>
        )}
        {order.refundFailed > 0 && order.refundPending === 0 && order.status !== 'refunded' && (
          <Alert tone="warning" testId="refund-failed">
            {tickets.some((ticket) => ticket.status === 'confirmed')
              ? t('refundFailed', { amount: money(order.refundFailed) })
              : t('refundFailedNoTickets', { amount: money(order.refundFailed) })}
          </Alert>
        )}

        <Card as="section" aria-labelledby="receipt-heading" className="flex flex-col gap-3" data-testid="receipt">
          <CardTitle id="receipt-heading">{t('receipt')}</CardTitle>
          <ul className="flex flex-col gap-1">
            {order.items.map((item) => (
              <li key={item.ticketTypeId} className="flex justify-between gap-4 tabular-nums">
                <span className="break-words">
                  {item.quantity} × {item.name}
                </span>
                <span>
                  {item.discount.amount > 0 && (
                    <s className="mr-2 text-slate-500" data-testid="receipt-item-price">
                      {money(item.unitPrice.amount * item.quantity)}
                    </s>
                  )}
                  {money(item.amount.amount)}
                </span>
              </li>
            ))}
          </ul>
          {order.code && discounted > 0 && (
            <p className="flex justify-between gap-4 text-sm text-slate-700 tabular-nums" data-testid="receipt-discount">
              <span>{t('discountWithCode', { code: order.code })}</span>
              <span>−{money(discounted)}</span>
            </p>
          )}
          <p className="flex justify-between border-t border-slate-200 pt-2 text-sm text-slate-700 tabular-nums">
            <span>{t('taxes')}</span>
            <span>{money(0)}</span>
          </p>
          <p className="flex justify-between font-semibold tabular-nums" data-testid="receipt-total">
            <span>{t('total')}</span>
            <span>{money(order.total.amount)}</span>
          </p>
          {order.refunded > 0 && (
            <p className="flex justify-between text-sm tabular-nums" data-testid="receipt-refunded">
              <span>{order.refundPending > 0 ? t('refundOnItsWay') : t('refunded')}</span>
              <span>−{money(order.refunded)}</span>
            </p>
          )}
        </Card>
      </div>

      {tickets.length > 0 && (
        <Card as="section" aria-labelledby="tickets-heading" className="flex flex-col gap-3 print:p-0 print:shadow-none print:ring-0" data-testid="order-tickets">
          <div className="flex flex-wrap items-center justify-between gap-2 print:hidden">
            <CardTitle id="tickets-heading">{t('tickets')}</CardTitle>
            {printable && <PrintTickets />}
          </div>
          <ul className="grid gap-3 sm:grid-cols-2 print:block">
            {tickets.map((ticket, index) => (
              <li
                key={ticket.id}
                className={
                  ticket.code
                    ? 'rounded-lg border border-slate-200 p-3 print:break-after-page print:border-0 print:p-0 print:last:break-after-auto'
                    : 'rounded-lg border border-slate-200 p-3 print:hidden'
                }
                data-testid="ticket"
                data-ticket-id={ticket.id}
                data-ticket-status={ticket.status}
                data-reference={ticket.reference}
              >
                <p className="font-medium break-words print:text-2xl">{t('ticketN', { n: index + 1, type: ticket.ticketType })}</p>
                <p className="text-sm text-slate-700 break-words print:hidden">{ticket.holder}</p>
                {/* On paper a ticket stands alone: who, what, which event, when and where. */}
                <dl className="hidden print:mt-2 print:mb-6 print:grid print:grid-cols-[auto_1fr] print:gap-x-4 print:gap-y-1 print:text-base">
                  <dt className="font-medium">{t('ticketHolder')}</dt>
                  <dd className="break-words">{ticket.holder}</dd>
                  <dt className="font-medium">{t('ticketType')}</dt>
                  <dd className="break-words">{ticket.ticketType}</dd>
                  <dt className="font-medium">{t('ticketEvent')}</dt>
                  <dd className="break-words">{event.title}</dd>
                  <dt className="font-medium">{t('ticketWhen')}</dt>
                  <dd>{when}</dd>
                  <dt className="font-medium">{t('venue')}</dt>
                  <dd className="break-words">{venue ?? t('online')}</dd>
                </dl>
                {ticket.checkedInAt ? (
                  <p className="text-sm font-medium text-emerald-800" data-testid="ticket-admitted">
                    {t('ticketAdmitted', { time: timeFormat.format(new Date(ticket.checkedInAt)) })}
                  </p>
                ) : (
                  <p className="text-sm">{t(`ticketStatus.${ticket.status}`)}</p>
                )}
                {ticket.code && (
                  <TicketQr
                    code={ticket.code}
                    label={ticketT('qrLabel', { name: ticket.holder })}
                    reference={ticket.reference}
                    referenceLabel={ticketT('referenceLabel')}
                    className="mt-3"
                  />
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <div className="print:hidden">
        <AnswersEditor token={token} kind="order" blocks={answerBlocks} editable={answersEditable} />
      </div>
      {cancellable && (
        <div className="print:hidden">
          <CancelOrder token={token} orderId={order.id} paid={order.status === 'confirmed' && order.total.amount > 0} />
        </div>
      )}
    </article>
  );
}
