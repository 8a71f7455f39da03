// /events/<id>/orders: the organiser's orders of an event, with totals
// computed from payment and refund rows (paid, refunded, net), each order's
// tickets, payments and refunds, and a refund action per order. A cancelled
// event's refunds show their progress here (pending → succeeded).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLocale, getTranslations } from 'next-intl/server';
import { eventPageTitle, ownEventPage } from '@/lib/events/server';
import { listOrdersQuerySchema } from '@/lib/tickets/schemas';
import { formatMoney } from '@/lib/money';
import { ordersPage } from '@/lib/tickets/server';
import { BackLink } from '@/components/ui/back-link';
import { RefundOrder } from '@/components/tickets/refund-order';
import { RetryRefund } from '@/components/tickets/retry-refund';
import { can } from '@/lib/teams/permissions';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardTitle } from '@/components/ui/card';
import { DataCell, DataRowHeader, DataTable, TruncatedText } from '@/components/ui/data-table';
import { LocalDateTime } from '@/components/ui/local-date-time';
import { OrderAnswers } from '@/components/questions/order-answers';

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ status?: string; cursor?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const t = await getTranslations('orders');
  return { title: await eventPageTitle(id, 'orders', t('title')) };
}

const statusTone = { pending_payment: 'indigo', confirmed: 'green', expired: 'slate', cancelled: 'red', refunded: 'slate' } as const;
const refundTone = { pending: 'indigo', succeeded: 'green', failed: 'red' } as const;

export default async function OrdersPage({ params, searchParams }: Props) {
  const { id } = await params;
  const search = await searchParams;
  const { event, role } = await ownEventPage(id, 'orders', 'orders:read');
  // A manager sees the orders; only an owner or finance is offered refunds.
  const refunder = can(role, 'orders:refund');
  const parsed = listOrdersQuerySchema.safeParse({ status: search.status || undefined, cursor: search.cursor || undefined });
  const list = await ordersPage(event.id, event.teamId, parsed.success ? parsed.data : {}).catch(() => null);
  if (!list) notFound();
  const t = await getTranslations('orders');
  const tQuestions = await getTranslations('questions');
  const tOrder = await getTranslations('orderPage');
  const locale = await getLocale();
  const currency = list.totals.currency ?? list.orders[0]?.total.currency ?? 'eur';
  const money = (amount: number) => formatMoney(amount, currency, locale);
  const refunds = list.orders.flatMap((o) => o.refunds);
  const pendingRefunds = refunds.filter((r) => r.status === 'pending').length;
  const failedRefunds = refunds.filter((r) => r.status === 'failed').length;

  return (
    <article className="mx-auto flex max-w-5xl flex-col gap-6" data-testid="orders-page" data-event-id={event.id}>
      <BackLink href={`/events/${event.id}`}>{t('back')}</BackLink>
      <h1 className="text-2xl font-semibold tracking-tight">
        {t('title')}: <span className="break-words">{event.title}</span>
      </h1>
      <Card as="dl" className={`grid gap-4 ${list.totals.discounts > 0 ? 'grid-cols-2 sm:grid-cols-4' : 'grid-cols-3'}`} data-testid="order-totals">
        {(['paid', 'refunded', 'net', ...(list.totals.discounts > 0 ? (['discounts'] as const) : [])] as const).map((key) => (
          <div key={key}>
            <CardTitle as="dt" size="eyebrow">
              {t(`totals.${key}`)}
            </CardTitle>
            <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid={`total-${key}`}>
              {money(list.totals[key])}
            </dd>
          </div>
        ))}
      </Card>
      {refunds.length > 0 && (
        <Alert tone={failedRefunds > 0 ? 'error' : pendingRefunds > 0 ? 'info' : 'success'} testId="refund-progress">
          {t('refundProgress', { done: refunds.filter((r) => r.status === 'succeeded').length, total: refunds.length })}
          {failedRefunds > 0 && <> {t('refundsFailed', { count: failedRefunds })}</>}
        </Alert>
      )}
      {list.orders.length === 0 ? (
        <Card as="p" className="text-slate-700" data-testid="orders-empty">
          {t('empty')}
        </Card>
      ) : (
        <DataTable
          caption={t('title')}
          testId="orders-table"
          columns={[
            { id: 'number', header: t('number') },
            { id: 'guest', header: t('guest') },
            { id: 'items', header: t('items') },
            { id: 'money', header: t('money'), className: 'text-right' },
            { id: 'status', header: t('status') },
            { id: 'actions', header: t('actions'), headerHidden: true },
          ]}
        >
          {list.orders.map((order) => {
            const paid = order.payments.reduce((n, p) => n + p.amount.amount, 0);
            return (
              <tr key={order.id} data-testid="order-row" data-order-id={order.id} data-order-status={order.status}>
                <DataRowHeader className="tabular-nums">
                  #{order.number}
                  <div className="text-xs font-normal text-slate-600">
                    <LocalDateTime at={order.createdAt} locale={locale} />
                  </div>
                </DataRowHeader>
                <DataCell className="break-words sm:max-w-48" label={t('guest')}>
                  {order.name}
                  <TruncatedText text={order.email} className="text-xs text-slate-600" />
                  <OrderAnswers answers={order.answers} tickets={order.tickets} title={tQuestions('orderAnswers')} words={{ yes: tQuestions('yes'), no: tQuestions('no') }} />
                </DataCell>
                <DataCell label={t('items')}>
                  <ul>
                    {order.items.map((item) => (
                      <li key={item.ticketTypeId}>
                        {item.quantity} × {item.name}
                      </li>
                    ))}
                  </ul>
                  <div className="text-xs text-slate-600">{t('ticketsCount', { count: order.tickets.filter((x) => x.status === 'confirmed').length })}</div>
                </DataCell>
                <DataCell className="text-right tabular-nums" label={t('money')}>
                  <div>{money(order.total.amount)}</div>
                  {order.code && (
                    <div className="text-xs text-slate-600" data-testid="order-code">
                      {t('withCode', { code: order.code, amount: money(order.items.reduce((n, item) => n + item.discount.amount, 0)) })}
                    </div>
                  )}
                  {paid > 0 && <div className="text-xs text-slate-600">{t('paidAmount', { amount: money(paid) })}</div>}
                  {order.fee > 0 && (
                    <div className="text-xs text-slate-600" data-testid="order-fee">
                      {t('platformFee', { amount: money(order.fee) })}
                    </div>
                  )}
                  {order.refunds.map((r) => (
                    <div key={r.id} className="mt-1 text-xs" data-testid="order-refund-row" data-refund-status={r.status}>
                      −{money(r.amount)} <Badge tone={refundTone[r.status]}>{t(`refundStatus.${r.status}`)}</Badge>
                      {r.ticketId && <div className="text-slate-600">{t('refundOfTicket')}</div>}
                      {r.status === 'failed' && (
                        <div className="mt-1 flex flex-col items-end gap-1 max-sm:items-start">
                          <span className="text-red-800">{t('refundFailedNote')}</span>
                          {refunder && <RetryRefund eventId={event.id} orderId={order.id} refundId={r.id} />}
                        </div>
                      )}
                    </div>
                  ))}
                </DataCell>
                <DataCell label={t('status')}>
                  <Badge tone={statusTone[order.status]}>{tOrder(`status.${order.status}`)}</Badge>
                </DataCell>
                <DataCell actions>
                  {refunder && paid > 0 && <RefundOrder eventId={event.id} orderId={order.id} number={order.number} refundable={paid - order.refunded} currency={order.total.currency} />}
                </DataCell>
              </tr>
            );
          })}
        </DataTable>
      )}
    </article>
  );
}
