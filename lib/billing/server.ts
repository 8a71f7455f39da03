// What server-rendered pages read about an organiser's account, looked up at
// most once per request (React cache) however many components ask.
import 'server-only';
import { cache } from 'react';
import { getOrganiserAccount } from './accounts';
import { getLedger } from './credits';
import { findOwnCheckoutSummary, listOwnCheckouts } from './purchases';
import { config } from '@/lib/config';
import { isEmbeddedUrl } from '@/lib/db/embedded-url';
import { getDb } from '@/lib/db/pool';

export const organiserAccount = cache((teamId: string) => getOrganiserAccount(teamId));

export const creditLedgerOf = cache((teamId: string) => getLedger(getDb(), teamId));

/** The organiser's purchases, newest first. */
export const checkoutsOf = cache((teamId: string) => listOwnCheckouts(getDb(), teamId));

/** One of the organiser's own checkouts (the TEST payment page), or null. */
export const ownCheckout = cache((teamId: string, checkoutId: string) => findOwnCheckoutSummary(getDb(), teamId, checkoutId));

/**
 * Whether the billing page may name the operator's command (`npm run credits:grant`):
 * only on the embedded default, where whoever reads the page is the operator too
 * (the same test as the sign-in page's demo login, lib/auth/demo-organiser.ts).
 */
export function operatorCommandShown(): boolean {
  return isEmbeddedUrl(config().DATABASE_URL ?? '');
}

export { creditPacks } from './packs';
export { testPaymentsAllowed } from './payments/provider';
