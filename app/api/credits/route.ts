import { getBalance, getLedger } from '@/lib/billing/credits';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route('GET /api/credits').handle(async ({ user, db }) => {
    const [balance, ledger] = await Promise.all([getBalance(db, user.id), getLedger(db, user.id)]);
    return { status: 200, data: { balance, ledger } };
  }),
});
