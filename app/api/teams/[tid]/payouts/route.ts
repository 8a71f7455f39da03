import { methods } from '@/lib/http/methods';
import { teamOfRequest } from '@/lib/payouts/accounts';
import { payoutsOf } from '@/lib/payouts/server';

export const dynamic = 'force-dynamic';

/** The team's connected account and its money: gross, fees, refunded, net, in total and per event. */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/payouts', {
  GET: (route) =>
    route.handle(async ({ user, params, db }) => {
      const teamId = teamOfRequest(user.id, params.tid);
      return { status: 200, data: await payoutsOf(db, teamId) };
    }),
});
