import { getBalance, getPlan } from '@/lib/billing/credits';
import { planEntitlements } from '@/lib/billing/plans';
import { route } from '@/lib/http/route';

export const GET = route('GET /api/me', {}, async ({ user, db }) => {
  const [plan, balance] = await Promise.all([getPlan(db, user.id), getBalance(db, user.id)]);
  return { status: 200, data: { user, plan, credits: { balance }, entitlements: planEntitlements(plan) } };
});
