import { getBalance, getLedger } from '@/lib/billing/credits';
import { route } from '@/lib/http/route';

export const GET = route('GET /api/credits', {}, async ({ user, db }) => {
  const [balance, ledger] = await Promise.all([getBalance(db, user.id), getLedger(db, user.id)]);
  return { status: 200, data: { balance, ledger } };
});
