import { getBalance, getPlan } from '@/lib/billing/credits';
import { planEntitlements } from '@/lib/billing/plans';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const GET = route('GET /api/me', {}, async ({ user, db }) => {
  const [plan, balance] = await Promise.all([getPlan(db, user.id), getBalance(db, user.id)]);
  return { status: 200, data: { user, plan, credits: { balance }, entitlements: planEntitlements(plan) } };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('GET');
export const POST = otherMethodHandlers.POST;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
