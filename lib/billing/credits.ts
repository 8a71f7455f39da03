import { desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/lib/db/pool';
import { creditAccounts, creditLedger, events, teams, type Plan } from '@/lib/db/schema';

export type LedgerEntry = {
  id: number;
  delta: number;
  reason: string;
  eventId: string | null;
  /** The title of that event (the history names it, not its id); null without one or once it is deleted. */
  eventTitle: string | null;
  /** The purchase that granted the credits (reason `purchase`). */
  checkoutId: string | null;
  createdAt: string;
};

export async function getBalance(db: Queryable, teamId: string): Promise<number> {
  const rows = await db
    .select({ balance: creditAccounts.balance })
    .from(creditAccounts)
    .where(eq(creditAccounts.teamId, teamId))
    .limit(1);
  return rows[0]?.balance ?? 0;
}

/** The team's plan and balance in one round trip (the write paths read both). */
export async function getPlanAndBalance(db: Queryable, teamId: string): Promise<{ plan: Plan; balance: number }> {
  const rows = await db
    .select({ plan: teams.plan, balance: creditAccounts.balance })
    .from(teams)
    .leftJoin(creditAccounts, eq(creditAccounts.teamId, teams.id))
    .where(eq(teams.id, teamId))
    .limit(1);
  return { plan: rows[0]?.plan ?? 'free', balance: rows[0]?.balance ?? 0 };
}

export async function getLedger(db: Queryable, teamId: string, limit = 100): Promise<LedgerEntry[]> {
  const rows = await db
    .select({ entry: creditLedger, eventTitle: events.title })
    .from(creditLedger)
    .leftJoin(events, eq(events.id, creditLedger.eventId))
    .where(eq(creditLedger.teamId, teamId))
    .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
    .limit(limit);
  return rows.map(({ entry: r, eventTitle }) => ({
    id: r.id,
    delta: r.delta,
    reason: r.reason,
    eventId: r.eventId,
    eventTitle,
    checkoutId: r.checkoutId,
    createdAt: r.createdAt.toISOString(),
  }));
}

/**
 * Takes one credit, or returns null when the balance is zero. The conditional
 * UPDATE holds the account's row lock until the transaction ends, so
 * concurrent spenders queue and the balance never goes below zero.
 */
export async function spendCredit(
  db: Queryable,
  input: { teamId: string; eventId: string; idempotencyKeyId: string | null; reason: string },
): Promise<{ balance: number; ledgerId: number } | null> {
  const spent = await db
    .update(creditAccounts)
    .set({ balance: sql`${creditAccounts.balance} - 1`, updatedAt: sql`now()` })
    .where(sql`${creditAccounts.teamId} = ${input.teamId} and ${creditAccounts.balance} >= 1`)
    .returning({ balance: creditAccounts.balance });
  const account = spent[0];
  if (!account) return null;
  const [entry] = await db
    .insert(creditLedger)
    .values({
      teamId: input.teamId,
      delta: -1,
      reason: input.reason,
      eventId: input.eventId,
      idempotencyKeyId: input.idempotencyKeyId,
    })
    .returning({ id: creditLedger.id });
  if (!entry) throw new Error('credit ledger insert returned no row');
  return { balance: account.balance, ledgerId: entry.id };
}

/**
 * Adds credits (operator grant, seed, a paid checkout): the ledger row and the
 * balance in one transaction (a savepoint inside the caller's). A purchase
 * names its checkout; the ledger holds at most one row per checkout.
 */
export async function grantCredits(
  db: Queryable,
  input: { teamId: string; amount: number; reason: string; checkoutId?: string },
): Promise<number> {
  if (!Number.isInteger(input.amount) || input.amount <= 0) throw new Error('amount must be a positive integer');
  return db.transaction(async (tx) => {
    await tx.insert(creditAccounts).values({ teamId: input.teamId, balance: 0 }).onConflictDoNothing();
    const [account] = await tx
      .update(creditAccounts)
      .set({ balance: sql`${creditAccounts.balance} + ${input.amount}`, updatedAt: sql`now()` })
      .where(eq(creditAccounts.teamId, input.teamId))
      .returning({ balance: creditAccounts.balance });
    await tx
      .insert(creditLedger)
      .values({ teamId: input.teamId, delta: input.amount, reason: input.reason, checkoutId: input.checkoutId ?? null });
    if (!account) throw new Error('credit account missing');
    return account.balance;
  });
}
