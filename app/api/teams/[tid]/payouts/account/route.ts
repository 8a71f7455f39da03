import { methods } from '@/lib/http/methods';
import { appOrigin } from '@/lib/http/request-meta';
import { openAccount } from '@/lib/payouts/accounts';

export const dynamic = 'force-dynamic';

/**
 * The team's one connected account (created the first time, with a provider
 * idempotency key derived from the team) and a fresh onboarding link. Leased:
 * it waits on the payment provider.
 */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/payouts/account', {
  POST: (route) =>
    route.idempotent({ leased: true }).handle(async ({ team, actor, db, request }) => {
      const opened = await openAccount(db, team.id, { appOrigin: appOrigin(request), returnPath: '/payouts' }, actor);
      return { status: 201, data: opened };
    }),
});
