// The operator commands as an operator runs them: a real process through tsx,
// against the test database.
import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { getBalance } from '@/lib/billing/credits';
import { closeDb, getDb } from '@/lib/db/pool';
import { creditLedger } from '@/lib/db/schema';
import { runScript } from './run-script';
import { createOrganiser } from './support';

afterAll(closeDb);

const grant = (...args: string[]) => runScript('scripts/credits-grant.ts', args);

describe('npm run credits:grant', () => {
  it('writes one ledger row and the balance, and prints the new balance', async () => {
    const organiser = await createOrganiser();
    const first = await grant('--email', organiser.email.toUpperCase(), '--amount', '3', '--reason', 'support ticket 42');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('New balance: 3.');
    const second = await grant('--email', organiser.email, '--amount', '2');
    expect(second.stdout).toContain('New balance: 5.');

    expect(await getBalance(getDb(), organiser.id)).toBe(5);
    const ledger = await getDb()
      .select({ delta: creditLedger.delta, reason: creditLedger.reason })
      .from(creditLedger)
      .where(eq(creditLedger.teamId, organiser.id))
      .orderBy(creditLedger.id);
    expect(ledger).toEqual([
      { delta: 3, reason: 'support ticket 42' },
      { delta: 2, reason: 'operator_grant' },
    ]);
  });

  it('refuses an unknown email on stderr with exit code 1 and writes nothing', async () => {
    const result = await grant('--email', 'nobody-here@example.com', '--amount', '1');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no organiser with email nobody-here@example.com');
  });

  it.concurrent.each(['0', '-2', '1.5', 'ten', ''])('refuses the amount %j with exit code 1 and writes nothing', async (amount) => {
    const organiser = await createOrganiser();
    const result = await grant('--email', organiser.email, `--amount=${amount}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--amount must be a positive whole number');
    const rows = await getDb()
      .select({ id: creditLedger.id })
      .from(creditLedger)
      .where(eq(creditLedger.teamId, organiser.id));
    expect(rows).toEqual([]);
  });
});
