import { getOrganiserAccount } from '@/lib/billing/accounts';
import { methods } from '@/lib/http/methods';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/me', {
  GET: (route) => route.handle(async ({ user, db }) => {
    const { plan, balance, entitlements } = await getOrganiserAccount(user.id, db);
    return { status: 200, data: { user, plan, credits: { balance }, entitlements } };
  }),
});
