import { AppError } from '@/lib/errors';
import { hasBearerSecret } from '@/lib/http/bearer';
import { methods } from '@/lib/http/methods';
import { runTicketRound } from '@/lib/tickets/worker';
import { config } from '@/lib/config';


/** For serverless hosts (TICKETS_WORKER=off): one round of the hold sweep and the refunds. `Authorization: Bearer $CRON_SECRET`. */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/cron/tickets', {
  POST: (route) => route
    .public()
    .handle(async ({ request }) => {
      if (!hasBearerSecret(request, config().CRON_SECRET)) throw new AppError('UNAUTHENTICATED');
      return { status: 200, data: await runTicketRound() };
    }),
});
