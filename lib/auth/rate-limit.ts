// Abuse limits of docs/api.md, counted in Postgres so every instance shares them.
//
// Sign-in: an attempt is consumed atomically (one INSERT … ON CONFLICT DO
// UPDATE … RETURNING, queued on the row lock) BEFORE the password is checked,
// so however many arrive at once, at most the limit are ever verified. A
// successful attempt gives its own point back (and only that: it does not clear
// the count, which would reopen a burst). Sign-up: counted per client address
// before any argon2 work.
//
// Keys are SHA-256 of the email or address (fixed length whatever the input:
// `auth_rate_limits.key` is varchar(255)). rate-limiter-flexible names its
// prepared statements; names collide on the embedded database (one shared
// session), so they are dropped.
import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { getPool } from '@/lib/db/pool';
import { AppError } from '@/lib/errors';

export const FAILED_SIGN_INS_PER_EMAIL = 10;
export const FAILED_SIGN_INS_PER_IP = 50;
export const WINDOW_SECONDS = 15 * 60;
export const SIGN_UPS_PER_IP = 10;
export const SIGN_UP_WINDOW_SECONDS = 60 * 60;

const TABLE = 'auth_rate_limits';
type LimiterName = 'signin_email' | 'signin_ip' | 'signup_ip';
type Limiters = Record<LimiterName, RateLimiterPostgres>;

function limiters(): Limiters {
  const key = Symbol.for('event-app.rate-limiters');
  const holder = globalThis as typeof globalThis & { [key: symbol]: Limiters | undefined };
  const existing = holder[key];
  if (existing) return existing;
  const pool = getPool();
  const storeClient = {
    query: (q: { text: string; values?: unknown[] }) => pool.query({ text: q.text, values: q.values }),
  };
  const common = { storeClient, storeType: 'pool', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false };
  const created: Limiters = {
    signin_email: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_email', points: FAILED_SIGN_INS_PER_EMAIL, duration: WINDOW_SECONDS }),
    signin_ip: new RateLimiterPostgres({ ...common, keyPrefix: 'signin_ip', points: FAILED_SIGN_INS_PER_IP, duration: WINDOW_SECONDS }),
    signup_ip: new RateLimiterPostgres({ ...common, keyPrefix: 'signup_ip', points: SIGN_UPS_PER_IP, duration: SIGN_UP_WINDOW_SECONDS }),
  };
  holder[key] = created;
  return created;
}

/** The stored key for a value: a fixed-length digest, whatever the input's length. */
export function limitKey(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

function tooMany(msBeforeNext: number): AppError {
  return new AppError('RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
}

/** Takes one point, atomically; throws 429 when that went over the limit. */
async function consume(name: LimiterName, value: string): Promise<void> {
  try {
    await limiters()[name].consume(limitKey(value));
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext);
    throw error;
  }
}

/** Gives one point back within the current window (never below zero, never into a new window). */
async function refund(name: LimiterName, value: string): Promise<void> {
  await getPool().query({
    text: `UPDATE ${TABLE} SET points = greatest(points - 1, 0) WHERE key = $1 AND (expire IS NULL OR expire > $2)`,
    values: [`${name}:${limitKey(value)}`, Date.now()],
  });
}

export type SignInAttempt = {
  /** The password was right (or was never checked): this attempt's points go back. */
  giveBack(): Promise<void>;
};

/**
 * Call before verifying a password: counts the attempt for this address and
 * this email, or throws 429 RATE_LIMITED with Retry-After. A refused attempt
 * still counts for the address (it was an attempt from there).
 */
export async function consumeSignInAttempt(email: string, ip: string): Promise<SignInAttempt> {
  await consume('signin_ip', ip);
  await consume('signin_email', email);
  return {
    async giveBack() {
      await Promise.all([refund('signin_ip', ip), refund('signin_email', email)]);
    },
  };
}

/** Call before any sign-up work: counts it for this address or throws 429 RATE_LIMITED. */
export async function consumeSignUp(ip: string): Promise<void> {
  await consume('signup_ip', ip);
}
