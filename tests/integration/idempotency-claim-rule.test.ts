// The claim rule has one definition (lib/idempotency/claim-rule.ts) and two
// renderings: SQL for the statements that claim, TypeScript for the
// one-transaction path that reads the record first. Here both judge every
// combination of status, fingerprint, expiry, lease and confirmation over
// real rows, and must agree; so must the two reads (findRecord and the read
// sent with BEGIN) on the facts the TypeScript side is given.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_STATUSES } from '@/lib/enums';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import type { IdempotencyStatus } from '@/lib/db/schema';
import { claimableSql, isClaimable } from '@/lib/idempotency/claim-rule';
import { type ExistingRecord, findRecord, lockAndReadStatements, parseLockedRead, recordUnfinished } from '@/lib/idempotency/store';

const ROUTE = `TEST claim-rule ${randomUUID()}`;
const HASH = 'the-request-hash';
const db = getDb();

type Case = { key: string; status: IdempotencyStatus; sameHash: boolean; expired: boolean; lease: 'none' | 'lapsed' | 'live' };

const cases: Case[] = IDEMPOTENCY_STATUSES.flatMap((status) =>
  [true, false].flatMap((sameHash) =>
    [true, false].flatMap((expired) =>
      (['none', 'lapsed', 'live'] as const).map((lease) => ({ key: randomUUID(), status, sameHash, expired, lease })),
    ),
  ),
);

const scopeOf = (c: Case) => ({ principal: { kind: 'anonymous' } as const, route: ROUTE, key: c.key });

beforeAll(async () => {
  for (const c of cases) {
    const lockedUntil = c.lease === 'none' ? sql`null` : c.lease === 'lapsed' ? sql`now() - interval '1 minute'` : sql`now() + interval '1 minute'`;
    const expiresAt = c.expired ? sql`now() - interval '1 minute'` : sql`now() + interval '1 day'`;
    await db.execute(sql`
      insert into idempotency_keys (principal, route, key, request_hash, status, locked_until, expires_at)
      values ('anonymous', ${ROUTE}, ${c.key}, ${c.sameHash ? HASH : 'another-hash'}, ${c.status}, ${lockedUntil}, ${expiresAt})`);
  }
});

afterAll(async () => {
  await db.execute(sql`delete from idempotency_keys where route = ${ROUTE}`);
  await closeDb();
});

/** The record as the one-transaction path reads it: the statements sent with BEGIN. */
async function lockedRead(c: Case): Promise<ExistingRecord | null> {
  const client = await getPool().connect();
  try {
    const literal = (value: string | number | boolean | null) =>
      value === null ? 'null' : typeof value === 'string' ? client.escapeLiteral(value) : String(value);
    const results: unknown = await client.query(`begin;\n${lockAndReadStatements(literal, scopeOf(c))};\nrollback`);
    const list = Array.isArray(results) ? results : [];
    const rows = list.slice(1, 3).map((r: { rows?: Record<string, unknown>[] }) => r.rows ?? []);
    return parseLockedRead(rows).record;
  } finally {
    client.release();
  }
}

describe('the claim rule', () => {
  it('covers every combination once', () => {
    expect(cases).toHaveLength(IDEMPOTENCY_STATUSES.length * 2 * 2 * 3);
  });

  for (const confirming of [false, true]) {
    it(`renders as SQL that judges every record as the TypeScript predicate does (confirming: ${confirming})`, async () => {
      const plain = await db.execute<{ key: string; claimable: boolean }>(
        sql`select key, ${claimableSql({ requestHash: HASH, confirming })} as claimable from idempotency_keys where route = ${ROUTE}`,
      );
      // As the upsert renders it: the row under an alias, the fingerprint an expression.
      const aliased = await db.execute<{ key: string; claimable: boolean }>(
        sql`select r.key, ${claimableSql({ row: 'r.', requestHash: sql`${HASH}::text`, confirming })} as claimable from idempotency_keys r where r.route = ${ROUTE}`,
      );
      const bySql = new Map(plain.rows.map((r) => [r.key, r.claimable]));
      const byAliasedSql = new Map(aliased.rows.map((r) => [r.key, r.claimable]));
      for (const c of cases) {
        const record = await findRecord(db, scopeOf(c));
        if (!record) throw new Error(`no record for ${JSON.stringify(c)}`);
        const byTs = isClaimable(record, HASH, confirming);
        expect({ ...c, claimable: bySql.get(c.key) }).toEqual({ ...c, claimable: byTs });
        expect({ ...c, claimable: byAliasedSql.get(c.key) }).toEqual({ ...c, claimable: byTs });
      }
    });
  }

  it('gets the same facts from the read sent with BEGIN as from findRecord', async () => {
    for (const c of cases) {
      const [read, found] = await Promise.all([lockedRead(c), findRecord(db, scopeOf(c))]);
      const facts = (r: ExistingRecord | null) => r && { status: r.status, requestHash: r.requestHash, expired: r.expired, leaseLapsed: r.leaseLapsed };
      expect({ ...c, facts: facts(read) }).toEqual({ ...c, facts: facts(found) });
    }
  });


  it('guards the record an attempt leaves after its rollback: one awaiting confirmation is rewritten only by a request that confirms', async () => {
    const key = randomUUID();
    const scope = { principal: { kind: 'anonymous' } as const, route: ROUTE, key };
    await db.execute(sql`
      insert into idempotency_keys (principal, route, key, request_hash, status, response_status, expires_at)
      values ('anonymous', ${ROUTE}, ${key}, ${HASH}, 'awaiting_confirmation', 402, now() + interval '1 day')`);
    const request = (confirming: boolean) => ({ ...scope, requestHash: HASH, requestBody: { params: {}, body: null }, confirming });
    expect(await recordUnfinished(db, request(false), 'failed', null)).toBe(false);
    expect(await findRecord(db, scope)).toMatchObject({ status: 'awaiting_confirmation', responseStatus: 402 });
    expect(await recordUnfinished(db, request(true), 'failed', null)).toBe(true);
    expect(await findRecord(db, scope)).toMatchObject({ status: 'failed', responseStatus: null });
  });

});
