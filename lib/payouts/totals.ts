// A team's money as database facts: the view `payout_lines` (its migration)
// has one line per payment and per succeeded refund, with the gross, the
// platform's fee (a refund's part of it negative) and what was refunded; the
// totals per event and per team are sums of those lines in SQL, and the CSV is
// the lines themselves. net = gross - fees - refunded.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { safeInteger } from '@/lib/db/numbers';

import type { EventPayoutTotals, PayoutTotals } from './schemas';

type SumRow = { currency: string; gross: string; fees: string; refunded: string };

function totalsOf(row: SumRow): Omit<PayoutTotals, 'currency'> {
  const gross = safeInteger(row.gross);
  const fees = safeInteger(row.fees);
  const refunded = safeInteger(row.refunded);
  return { gross, fees, refunded, net: gross - fees - refunded };
}

/**
 * The team's totals (in its main currency: the one with the most gross; a
 * team selling in several has the rest in `byCurrency`) and each event's.
 */
export async function payoutTotalsOf(
  db: Queryable,
  teamId: string,
): Promise<{ totals: PayoutTotals; byCurrency: PayoutTotals[]; events: EventPayoutTotals[] }> {
  const perCurrency = await db.execute<SumRow>(sql`
    select currency, sum(gross) as gross, sum(fee) as fees, sum(refunded) as refunded
      from payout_lines where team_id = ${teamId}
     group by currency
     order by sum(gross) desc, currency`);
  const byCurrency = perCurrency.rows.map((row) => ({ ...totalsOf(row), currency: row.currency }));
  const perEvent = await db.execute<SumRow & { event_id: string; title: string }>(sql`
    select l.event_id, e.title, l.currency, sum(l.gross) as gross, sum(l.fee) as fees, sum(l.refunded) as refunded
      from payout_lines l join events e on e.id = l.event_id
     where l.team_id = ${teamId}
     group by l.event_id, e.title, e.starts_at, l.currency
     order by e.starts_at desc, l.event_id`);
  return {
    totals: byCurrency[0] ?? { gross: 0, fees: 0, refunded: 0, net: 0, currency: null },
    byCurrency,
    events: perEvent.rows.map((row) => ({ eventId: row.event_id, title: row.title, currency: row.currency, ...totalsOf(row) })),
  };
}

type LineRow = {
  kind: 'payment' | 'refund';
  id: string;
  order_id: string;
  order_number: string;
  event_id: string;
  title: string;
  provider: string;
  provider_ref: string | null;
  destination_account: string | null;
  currency: string;
  gross: string;
  fee: string;
  refunded: string;
  at: Date | string;
};

function csvCell(value: string | number | null): string {
  if (typeof value === 'number') return String(value);
  const text = value ?? '';
  // Formula-safe: a text cell a spreadsheet would evaluate starts with a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** GET /api/teams/:tid/payouts.csv: one row per payment and per succeeded refund, oldest first. */
export async function payoutsCsvOf(db: Queryable, teamId: string): Promise<string> {
  const result = await db.execute<LineRow>(sql`
    select l.*, e.title from payout_lines l join events e on e.id = l.event_id
     where l.team_id = ${teamId}
     order by l.at, l.kind, l.id`);
  const header = ['kind', 'id', 'at', 'event_id', 'event', 'order_number', 'provider', 'provider_ref', 'destination_account', 'currency', 'gross', 'fee', 'refunded', 'net'];
  const lines = result.rows.map((row) => {
    const gross = safeInteger(row.gross);
    const fee = safeInteger(row.fee);
    const refunded = safeInteger(row.refunded);
    return [
      row.kind,
      row.id,
      new Date(row.at).toISOString(),
      row.event_id,
      row.title,
      safeInteger(row.order_number),
      row.provider,
      row.provider_ref,
      row.destination_account,
      row.currency,
      gross,
      fee,
      refunded,
      gross - fee - refunded,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
