import { getBalance, getLedger } from '@/lib/billing/credits';
import { route } from '@/lib/http/route';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const GET = route('GET /api/credits', {}, async ({ user, db }) => {
  const [balance, ledger] = await Promise.all([getBalance(db, user.id), getLedger(db, user.id)]);
  return { status: 200, data: { balance, ledger } };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('GET');
export const POST = otherMethodHandlers.POST;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
