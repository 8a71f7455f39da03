import { AppError } from '@/lib/errors';
import { hasBearerSecret } from '@/lib/http/bearer';
import { methods } from '@/lib/http/methods';
import { purgeExpired } from '@/lib/idempotency';
import { config } from '@/lib/config';

/** For a scheduler (Vercel Cron, a systemd timer): `Authorization: Bearer $CRON_SECRET`. */
export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/cron/idempotency-purge', {
  POST: (route) => route
    .public()
    .handle(async ({ request }) => {
      if (!hasBearerSecret(request, config().CRON_SECRET)) throw new AppError('UNAUTHENTICATED');
      return { status: 200, data: { removed: await purgeExpired() } };
    }),
});
