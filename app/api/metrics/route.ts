// Prometheus scrape endpoint. Not through the route wrapper: its answer is
// text, not the JSON envelope, and it must not touch sessions; its errors
// still answer in the envelope.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Registry } from 'prom-client';
import { getDb } from '@/lib/db/pool';
import { readCookie } from '@/lib/auth/cookies';
import { ApiError } from '@/lib/http/errors';
import { errorResponse, toResponse } from '@/lib/http/envelope';
import { logLine } from '@/lib/http/log';
import { describeError } from '@/lib/http/db-errors';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { installMetrics } from '@/lib/metrics/registry';
import { databaseRegistry, readDatabaseFigures, type DatabaseFigures } from '@/lib/metrics/scrape';
import { otherMethods } from '@/lib/http/method-not-allowed';

export const dynamic = 'force-dynamic';

// Hashing both sides gives equal lengths, so the comparison time says nothing about the token.
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function GET(request: Request): Promise<Response> {
  const locale = resolveLocale(readCookie(request, LOCALE_COOKIE), request.headers.get('accept-language'));
  const token = process.env.METRICS_TOKEN;
  const given = request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
  if (!token || !given || !sameSecret(given, token)) {
    return toResponse(errorResponse(new ApiError('UNAUTHENTICATED'), locale));
  }
  try {
    const metrics = installMetrics();
    let figures: DatabaseFigures | null = null;
    try {
      figures = await readDatabaseFigures(getDb());
    } catch (error) {
      // The process metrics matter most exactly when the database is down.
      logLine('warn', 'metrics.database_unavailable', { cause: describeError(error).message });
    }
    const merged = Registry.merge([metrics.registry, databaseRegistry(figures)]);
    return new Response(await merged.metrics(), {
      status: 200,
      headers: { 'Content-Type': merged.contentType, 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    logLine('error', 'metrics.failed', { cause: describeError(error) });
    return toResponse(errorResponse(new ApiError('INTERNAL_ERROR'), locale));
  }
}

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('GET');
export const POST = otherMethodHandlers.POST;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
