// Failed sign-ins, counted per email and per IP in Postgres so every instance
// shares them. rate-limiter-flexible names its prepared statements; names
// collide on the embedded database (one shared session), so they are dropped.
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { getPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';

export const FAILED_SIGN_INS_PER_EMAIL = 10;
export const FAILED_SIGN_INS_PER_IP = 50;
export const WINDOW_SECONDS = 15 * 60;

type Limiters = { email: RateLimiterPostgres; ip: RateLimiterPostgres };
let limiters: Limiters | undefined;

function getLimiters(): Limiters {
  if (limiters) return limiters;
  const pool = getPool();
  const storeClient = {
    query: (q: { text: string; values?: unknown[] }) => pool.query({ text: q.text, values: q.values }),
  };
  const common = {
    storeClient,
    storeType: 'pool',
    tableName: 'auth_rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    duration: WINDOW_SECONDS,
  };
  limiters = {
    email: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_email', points: FAILED_SIGN_INS_PER_EMAIL }),
    ip: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_ip', points: FAILED_SIGN_INS_PER_IP }),
  };
  return limiters;
}

function tooMany(msBeforeNext: number): AppError {
  return new AppError('RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

/** Throws 429 when this email or IP has used up its failed attempts. */
export async function assertSignInAllowed(email: string, ip: string): Promise<void> {
  const { email: byEmail, ip: byIp } = getLimiters();
  const [e, i] = await Promise.all([byEmail.get(email), byIp.get(ip)]);
  if (e && e.consumedPoints >= FAILED_SIGN_INS_PER_EMAIL) throw tooMany(e.msBeforeNext);
  if (i && i.consumedPoints >= FAILED_SIGN_INS_PER_IP) throw tooMany(i.msBeforeNext);
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const { email: byEmail, ip: byIp } = getLimiters();
  // consume() rejects with a RateLimiterRes once the points are gone; the count is still kept.
  const swallowLimit = (error: unknown) => {
    if (!(error instanceof RateLimiterRes)) throw error;
  };
  await Promise.all([byEmail.consume(email).catch(swallowLimit), byIp.consume(ip).catch(swallowLimit)]);
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await getLimiters().email.delete(email);
}
