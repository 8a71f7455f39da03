import { methods } from '@/lib/http/methods';
import { payoutsOf } from '@/lib/payouts/server';

export const dynamic = 'force-dynamic';

/** The team's connected account and its money: gross, fees, refunded, net, in total and per event. */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/payouts', {
  GET: (route) =>
    route.handle(async ({ team, db }) => ({ status: 200, data: await payoutsOf(db, team.id) })),
});
