// The shapes of payouts' answers (docs/api.md, "Organiser payouts"), shared
// with the browser: no imports but the enums.
import type { PaymentProviderName } from '@/lib/enums';

export type AccountDto = {
  id: string;
  provider: PaymentProviderName;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  /** What the provider still asks for (Stripe's requirements.currently_due). */
  requirements: string[];
};

/** Minor units; net = gross - fees - refunded. */
export type PayoutTotals = { gross: number; fees: number; refunded: number; net: number; currency: string | null };
export type EventPayoutTotals = { eventId: string; title: string; gross: number; fees: number; refunded: number; net: number; currency: string };

export type PayoutsView = {
  account: AccountDto | null;
  /** Whether this deployment offers connected accounts (Connect, or the test provider's simulated one). */
  offered: boolean;
  /** Whether paid tickets need the account (STRIPE_CONNECT=1): off sale until it can take charges. */
  required: boolean;
  totals: PayoutTotals;
  /** A team selling in several currencies: the totals of each (`totals` is the first). */
  byCurrency: PayoutTotals[];
  events: EventPayoutTotals[];
};

export type AccountOpened = { account: AccountDto; onboardingUrl: string };
