// Every payment and refund of the team's tickets as CSV (lib/payouts/totals.ts).
import { methods } from '@/lib/http/methods';
import { payoutsCsvOf } from '@/lib/payouts/totals';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/payouts.csv', {
  GET: (route) =>
    route.handle(async ({ team, db }) => {
      const teamId = team.id;
      return {
        status: 200,
        body: await payoutsCsvOf(db, teamId),
        contentType: 'text/csv; charset=utf-8',
        headers: { 'Content-Disposition': `attachment; filename="payouts-${teamId}.csv"` },
      };
    }),
});
