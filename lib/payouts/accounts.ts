// The owner of teams' connected accounts (docs/api.md, "Organiser payouts"):
// one per team, ever, created through the provider with a key derived from
// the team; moved only by the provider's account state (`account.updated`,
// applied in the order of its `created` time, through the payment inbox);
// and the terms a team's paid order is placed on (its destination account and
// the plan's fee, frozen on the order). Where a team comes from is in the two
// functions at the top (the event's team, the team's plan): nothing else here
// knows how teams are stored.
import { and, eq, lt, or, isNull, sql } from 'drizzle-orm';
import { currentProviderName, paymentProviderNamed, type ProviderAccount } from '@/lib/billing/payments/provider';
import { config } from '@/lib/config';
import type { Queryable, Tx } from '@/lib/db/pool';
import { connectedAccounts, teams, type ConnectedAccountRow, type EventRow } from '@/lib/db/schema';
import type { PaymentProviderName, Plan } from '@/lib/enums';
import { AppError } from '@/lib/errors';
import { logLine } from '@/lib/log';
import { recordAudit, type AuditActor } from '@/lib/audit';
import { orderFee } from './fees';
import type { AccountDto, AccountOpened } from './schemas';
import './errors';

// ---- teams -------------------------------------------------------------------------

/** The team an event (and its orders) belongs to. */
export function teamOfEvent(event: Pick<EventRow, 'teamId'>): string {
  return event.teamId;
}

/** The team's plan (its fee). */
export async function teamPlan(db: Queryable, teamId: string): Promise<Plan> {
  const rows = await db.select({ plan: teams.plan }).from(teams).where(eq(teams.id, teamId)).limit(1);
  return rows[0]?.plan ?? 'free';
}

// ---- the deployment ------------------------------------------------------------------

/** STRIPE_CONNECT=1: every team sells paid tickets through its own connected account, and only once it can take charges. */
export function connectRequired(): boolean {
  return config().STRIPE_CONNECT;
}

/**
 * Whether a team may create a connected account here: with Connect, or on the
 * test provider, whose simulated account shows the whole flow on the embedded
 * default (a team that onboarded one sells through it; the others as before).
 */
export function payoutsOffered(): boolean {
  return connectRequired() || currentProviderName() === 'test';
}

// ---- the account --------------------------------------------------------------------------

export function toAccountDto(row: ConnectedAccountRow): AccountDto {
  return {
    id: row.providerAccountId,
    provider: row.provider,
    chargesEnabled: row.chargesEnabled,
    payoutsEnabled: row.payoutsEnabled,
    detailsSubmitted: row.detailsSubmitted,
    requirements: row.requirements,
  };
}

export async function readAccount(db: Queryable, teamId: string): Promise<ConnectedAccountRow | null> {
  const rows = await db.select().from(connectedAccounts).where(eq(connectedAccounts.teamId, teamId)).limit(1);
  return rows[0] ?? null;
}

/** Whether the account takes charges through this deployment's provider now. */
function canCharge(row: ConnectedAccountRow | null): row is ConnectedAccountRow {
  return row?.chargesEnabled === true && row.provider === currentProviderName();
}

/** Whether the team's paid tickets are on sale as far as payouts go (always, without Connect). */
export async function paymentsReady(db: Queryable, teamId: string): Promise<boolean> {
  if (!payoutsOffered()) return true;
  const ready = canCharge(await readAccount(db, teamId));
  return ready || !connectRequired();
}

/**
 * The terms a paid order is placed on, frozen on it: the team's connected
 * account and the plan's fee when it sells through one; the deployment's own
 * account and no fee otherwise. PAYMENTS_NOT_READY when Connect is required
 * and the team's account cannot take charges yet.
 */
export async function saleTerms(db: Queryable, teamId: string, order: { total: number; paidTickets: number }): Promise<{ destinationAccount: string | null; feeAmount: number }> {
  if (order.total <= 0 || !payoutsOffered()) return { destinationAccount: null, feeAmount: 0 };
  const account = await readAccount(db, teamId);
  if (!canCharge(account)) {
    if (connectRequired()) throw new AppError('PAYMENTS_NOT_READY');
    return { destinationAccount: null, feeAmount: 0 };
  }
  return { destinationAccount: account.providerAccountId, feeAmount: orderFee(await teamPlan(db, teamId), order) };
}

/**
 * POST /api/teams/:tid/payouts/account: the team's one connected account
 * (created when it has none: the provider's idempotency key is derived from
 * the team, so concurrent or repeated requests get the same account back) and
 * a fresh onboarding link. PAYOUTS_NOT_OFFERED on a deployment without them.
 */
export async function openAccount(db: Tx, teamId: string, link: { appOrigin: string; returnPath: string }, actor: AuditActor): Promise<AccountOpened> {
  const providerName = currentProviderName();
  if (!payoutsOffered() || providerName === null) throw new AppError('PAYOUTS_NOT_OFFERED');
  const provider = paymentProviderNamed(providerName);
  let row = await readAccount(db, teamId);
  if (row === null || row.provider !== providerName) {
    if (row !== null) throw new AppError('PAYOUTS_NOT_OFFERED', { details: { provider: row.provider } });
    let created: ProviderAccount;
    try {
      created = await provider.createAccount({ teamId });
    } catch (error) {
      logLine('error', 'payouts.account_failed', { teamId, cause: String(error) });
      throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', { retryAfterSeconds: 5 });
    }
    await db
      .insert(connectedAccounts)
      .values({
        teamId,
        provider: providerName,
        providerAccountId: created.accountId,
        chargesEnabled: created.chargesEnabled,
        payoutsEnabled: created.payoutsEnabled,
        detailsSubmitted: created.detailsSubmitted,
        requirements: created.requirements,
      })
      .onConflictDoNothing({ target: connectedAccounts.teamId })
      .returning({ teamId: connectedAccounts.teamId })
      .then(async (inserted) => {
        // Written once, by the request that stored the account (a concurrent one found it stored).
        if (inserted.length > 0) {
          await recordAudit(db, { teamId, actor, action: 'payouts.account_created', target: { type: 'connected_account', id: created.accountId }, details: { provider: providerName } });
        }
      });
    row = await readAccount(db, teamId);
    if (!row) throw new Error(`connected account of team ${teamId} not stored`);
  }
  let onboardingUrl: string;
  try {
    onboardingUrl = await provider.onboardingUrl({ accountId: row.providerAccountId, ...link });
  } catch (error) {
    logLine('error', 'payouts.link_failed', { teamId, cause: String(error) });
    throw new AppError('PAYMENT_PROVIDER_UNAVAILABLE', { retryAfterSeconds: 5 });
  }
  return { account: toAccountDto(row), onboardingUrl };
}

// ---- the provider's word ------------------------------------------------------------------

/** `account.updated`: the provider's account and the time it was so (seconds, Stripe's `created`). */
export type AccountStateEvent = { provider: PaymentProviderName; created: number; state: ProviderAccount };

export type AccountEventOutcome = 'account_updated' | 'account_stale' | 'account_unknown';

/**
 * Applies an account's state when it is newer than the one applied last (an
 * older `account.updated` arriving late changes nothing). One statement: the
 * row's own `state_at` decides, under its row lock.
 */
export async function applyAccountEvent(tx: Tx, event: AccountStateEvent): Promise<{ outcome: AccountEventOutcome; teamId: string | null }> {
  const at = new Date(event.created * 1000);
  const { state } = event;
  const [updated] = await tx
    .update(connectedAccounts)
    .set({
      chargesEnabled: state.chargesEnabled,
      payoutsEnabled: state.payoutsEnabled,
      detailsSubmitted: state.detailsSubmitted,
      requirements: state.requirements,
      stateAt: at,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(connectedAccounts.provider, event.provider),
        eq(connectedAccounts.providerAccountId, state.accountId),
        or(isNull(connectedAccounts.stateAt), lt(connectedAccounts.stateAt, at)),
      ),
    )
    .returning({ teamId: connectedAccounts.teamId });
  if (updated) return { outcome: 'account_updated', teamId: updated.teamId };
  const [known] = await tx
    .select({ teamId: connectedAccounts.teamId })
    .from(connectedAccounts)
    .where(and(eq(connectedAccounts.provider, event.provider), eq(connectedAccounts.providerAccountId, state.accountId)))
    .limit(1);
  return known ? { outcome: 'account_stale', teamId: known.teamId } : { outcome: 'account_unknown', teamId: null };
}

/** The test provider's one-button onboarding: the account's state as Stripe would send it once onboarding is done. */
export async function testOnboardedState(db: Queryable, teamId: string): Promise<AccountStateEvent & { eventId: string }> {
  const row = await readAccount(db, teamId);
  if (row?.provider !== 'test' || currentProviderName() !== 'test') throw new AppError('NOT_FOUND');
  return {
    eventId: `test_evt_account_${row.providerAccountId}_onboarded`,
    provider: 'test',
    created: Math.floor(Date.now() / 1000),
    state: { accountId: row.providerAccountId, chargesEnabled: true, payoutsEnabled: true, detailsSubmitted: true, requirements: [] },
  };
}
