import { createHash, timingSafeEqual } from 'node:crypto';
import { getDb } from '@/lib/db/pool';
import { ApiError } from '@/lib/http/errors';
import { route } from '@/lib/http/route';
import { purgeExpired } from '@/lib/idempotency/store';
import { otherMethods } from '@/lib/http/method-not-allowed';

// Hashing both sides gives equal lengths, so the comparison time says nothing about the secret.
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** For a scheduler (Vercel Cron, a systemd timer): `Authorization: Bearer $CRON_SECRET`. */
export const POST = route('POST /api/cron/idempotency-purge', { auth: false }, async ({ request }) => {
  const secret = process.env.CRON_SECRET;
  const given = request.headers.get('authorization')?.match(/^Bearer (.+)$/)?.[1];
  if (!secret || !given || !sameSecret(given, secret)) throw new ApiError('UNAUTHENTICATED');
  return { status: 200, data: { removed: await purgeExpired(getDb()) } };
});

// Next reads each method as its own named export, so they are spelled out.
const otherMethodHandlers = otherMethods('POST');
export const GET = otherMethodHandlers.GET;
export const PUT = otherMethodHandlers.PUT;
export const PATCH = otherMethodHandlers.PATCH;
export const DELETE = otherMethodHandlers.DELETE;
