// The sign-in and sign-up limits of docs/api.md, on the shared limiter
// (lib/rate-limit), each point its own autocommit statement on the pool.
//
// Sign-in: an attempt is consumed atomically BEFORE the password is checked,
// so however many arrive at once, at most the limit are ever verified. A
// successful attempt gives its own point back (and only that: it does not clear
// the count, which would reopen a burst). Sign-up: counted per client address
// before any argon2 work.
import { getDb } from '@/lib/db/pool';
import { consumePoint, givePointBack, type RateLimit } from '@/lib/rate-limit';

export { limitKey } from '@/lib/rate-limit';

export const FAILED_SIGN_INS_PER_EMAIL = 10;
export const FAILED_SIGN_INS_PER_IP = 50;
export const WINDOW_SECONDS = 15 * 60;
export const SIGN_UPS_PER_IP = 10;
export const SIGN_UP_WINDOW_SECONDS = 60 * 60;

const SIGN_IN_PER_EMAIL: RateLimit = { name: 'signin_email', points: FAILED_SIGN_INS_PER_EMAIL, windowSeconds: WINDOW_SECONDS };
const SIGN_IN_PER_IP: RateLimit = { name: 'signin_ip', points: FAILED_SIGN_INS_PER_IP, windowSeconds: WINDOW_SECONDS };
const SIGN_UP_PER_IP: RateLimit = { name: 'signup_ip', points: SIGN_UPS_PER_IP, windowSeconds: SIGN_UP_WINDOW_SECONDS };

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
  const db = getDb();
  await consumePoint(db, SIGN_IN_PER_IP, ip);
  await consumePoint(db, SIGN_IN_PER_EMAIL, email);
  return {
    async giveBack() {
      await Promise.all([givePointBack(db, SIGN_IN_PER_IP, ip), givePointBack(db, SIGN_IN_PER_EMAIL, email)]);
    },
  };
}

/** Call before any sign-up work: counts it for this address or throws 429 RATE_LIMITED. */
export async function consumeSignUp(ip: string): Promise<void> {
  await consumePoint(getDb(), SIGN_UP_PER_IP, ip);
}
