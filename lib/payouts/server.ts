// What the Payouts page and GET /api/teams/:tid/payouts show: the team's
// connected account (null before it has one), whether payouts are offered on
// this deployment, and the team's money (lib/payouts/totals.ts).
import 'server-only';
import { cache } from 'react';
import { getDb, type Queryable } from '@/lib/db/pool';
import { connectRequired, payoutsOffered, readAccount, toAccountDto } from './accounts';
import type { PayoutsView } from './schemas';
import { payoutTotalsOf } from './totals';

export async function payoutsOf(db: Queryable, teamId: string): Promise<PayoutsView> {
  const row = await readAccount(db, teamId);
  const money = await payoutTotalsOf(db, teamId);
  return { account: row ? toAccountDto(row) : null, offered: payoutsOffered(), required: connectRequired(), ...money };
}

/** The Payouts page's read (pages read through lib, never the database). */
export const payoutsPageOf = cache(async (teamId: string): Promise<PayoutsView> => payoutsOf(getDb(), teamId));
