// /o/<token>: a guest's order: its receipt (number, items, amounts, taxes as
// zero) and each ticket in its own element with a stable data-ticket-id and,
// while it is confirmed, its QR code for the door (the signed code beside it).
// While the payment is being confirmed (the guest came back before the
// webhook), the page says so and reads the order again until it is settled.
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
import { TicketQr } from '@/components/checkin/ticket-qr';
import { CancelOrder } from '@/components/tickets/cancel-order';
import { OrderPoller } from '@/components/tickets/order-poller';
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
  const timeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: event.timezone });

  return (
    <article className="flex flex-col gap-6" data-testid="order-page" data-order-status={order.status}>
      <OrderPoller active={order.status === 'pending_payment'} />
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
        {formatEventRange(event.startsAt, event.endsAt, event.timezone, locale)}
      </p>
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
      {order.status === 'expired' && <Alert tone="warning">{t('expired')}</Alert>}
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
              <span>{money(item.amount.amount)}</span>
            </li>
          ))}
        </ul>
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

      {tickets.length > 0 && (
        <Card as="section" aria-labelledby="tickets-heading" className="flex flex-col gap-3">
          <CardTitle id="tickets-heading">{t('tickets')}</CardTitle>
          <ul className="grid gap-3 sm:grid-cols-2">
            {tickets.map((ticket, index) => (
              <li key={ticket.id} className="rounded-lg border border-slate-200 p-3" data-testid="ticket" data-ticket-id={ticket.id} data-ticket-status={ticket.status}>
                <p className="font-medium break-words">{t('ticketN', { n: index + 1, type: ticket.ticketType })}</p>
                <p className="text-sm text-slate-700 break-words">{ticket.holder}</p>
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
                    codeLabel={ticketT('codeLabel')}
                    className="mt-3"
                  />
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <AnswersEditor token={token} kind="order" blocks={answerBlocks} editable={answersEditable} />
      {cancellable && <CancelOrder token={token} orderId={order.id} paid={order.status === 'confirmed' && order.total.amount > 0} />}
    </article>
  );
}
