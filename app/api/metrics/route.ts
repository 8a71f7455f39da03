// Prometheus scrape endpoint: Prometheus text, behind the bearer secret
// instead of a session; its errors answer in the envelope.
import { AppError } from '@/lib/errors';
import { hasBearerSecret } from '@/lib/http/bearer';
import { methods } from '@/lib/http/methods';
import { renderMetrics } from '@/lib/metrics/scrape';
import { config } from '@/lib/config';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods('/api/metrics', {
  GET: (route) =>
    route.withoutSession().handle(async ({ request }) => {
      if (!hasBearerSecret(request, config().METRICS_TOKEN)) throw new AppError('UNAUTHENTICATED');
      const { text, contentType } = await renderMetrics();
      return { status: 200, body: text, contentType };
    }),
});
