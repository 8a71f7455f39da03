// Prometheus scrape endpoint. Not through route(): its answer is text, not
// the JSON envelope, and it must not touch sessions; its errors still answer
// in the envelope.
import { AppError } from '@/lib/errors';
import { hasBearerSecret } from '@/lib/http/bearer';
import { errorResponse, toResponse } from '@/lib/http/envelope';
import { methods } from '@/lib/http/methods';
import { requestLocale } from '@/lib/http/route';
import { describeError, logLine } from '@/lib/log';
import { renderMetrics } from '@/lib/metrics/scrape';

export const dynamic = 'force-dynamic';

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: async (request) => {
    const locale = requestLocale(request);
    if (!hasBearerSecret(request, process.env.METRICS_TOKEN)) {
      return toResponse(errorResponse(new AppError('UNAUTHENTICATED'), locale));
    }
    try {
      const { text, contentType } = await renderMetrics();
      return new Response(text, { status: 200, headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
    } catch (error) {
      logLine('error', 'metrics.failed', { cause: describeError(error) });
      return toResponse(errorResponse(new AppError('INTERNAL_ERROR'), locale));
    }
  },
});
