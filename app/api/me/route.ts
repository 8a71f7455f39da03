import { getOrganiserAccount } from '@/lib/billing/accounts';
import { methods } from '@/lib/http/methods';
import { route } from '@/lib/http/route';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: route('GET /api/me').handle(async ({ user, db }) => {
    const { plan, balance, entitlements } = await getOrganiserAccount(user.id, db);
    return { status: 200, data: { user, plan, credits: { balance }, entitlements } };
  }),
});
