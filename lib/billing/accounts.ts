import { getDb, type Queryable } from '@/lib/db/pool';
import type { Plan } from '@/lib/db/schema';
import { getPlanAndBalance } from './credits';
import { planEntitlements, type Entitlements } from './plans';

export type OrganiserAccount = { plan: Plan; balance: number; entitlements: Entitlements };

/** The one answer to "what may this organiser do": plan, entitlements and balance. */
export async function getOrganiserAccount(teamId: string, db: Queryable = getDb()): Promise<OrganiserAccount> {
  const { plan, balance } = await getPlanAndBalance(db, teamId);
  return { plan, balance, entitlements: planEntitlements(plan) };
}
