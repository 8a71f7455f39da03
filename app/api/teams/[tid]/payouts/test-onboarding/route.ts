import { settleTestOnboarding } from '@/lib/flows/payment-inbox';
import { methods } from '@/lib/http/methods';
import { readAccount, toAccountDto } from '@/lib/payouts/accounts';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/**
 * The test provider's one-button onboarding (the embedded default): the
 * simulated account's `account.updated` (charges and payouts enabled), through
 * the same inbox as Stripe's. 404 unless the team's account is the test provider's.
 */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/teams/[tid]/payouts/test-onboarding', {
  POST: (route) =>
    route.idempotent().handle(async ({ team, db }) => {
      const teamId = team.id;
      await settleTestOnboarding(db, teamId);
      const row = await readAccount(db, teamId);
      if (!row) throw new AppError('NOT_FOUND');
      return { status: 200, data: { account: toAccountDto(row) } };
    }),
});
