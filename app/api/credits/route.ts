import { getBalance, getLedger } from '@/lib/billing/credits';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/credits', {
  GET: (route) => route.handle(async ({ team, db }) => {
    const [balance, ledger] = await Promise.all([getBalance(db, team.id), getLedger(db, team.id)]);
    return { status: 200, data: { balance, ledger } };
  }),
});
