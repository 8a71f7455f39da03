// Row-level security as Supabase's Data API would exercise it: inside a
// transaction, `set local role` to anon/authenticated and the request's JWT
// claims in `request.jwt.claims`, which is what auth.uid() reads (the shim in
// supabase/local stands in for Supabase's own on plain Postgres and PGlite).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureProfile } from '@/lib/auth/profiles';
import { closeDb, getDb, getPool } from '@/lib/db/pool';
import * as schema from '@/lib/db/schema';
import { creditAccounts, creditLedger, events, idempotencyKeys, sessions } from '@/lib/db/schema';

afterAll(closeDb);

type Org = { id: string; published: string; draft: string; unlisted: string };

const DAY = 24 * 3600 * 1000;

async function seedOrganiser(name: string): Promise<Org> {
  const db = getDb();
  const id = randomUUID();
  // What Supabase Auth does on sign-up: the row in auth.users is its own.
  await db.execute(sql`insert into auth.users (id, email) values (${id}, ${`${id}@example.com`})`);
  await ensureProfile(db, id, name);
  const starts = new Date(Date.now() + 30 * DAY);
  const base = {
    teamId: id,
    startsAt: starts,
    endsAt: new Date(starts.getTime() + 3600 * 1000),
    timezone: 'UTC',
    locationType: 'online' as const,
    locationUrl: 'https://example.com/room',
    maxParticipants: 10,
  };
  const [published, draft, unlisted] = await db
    .insert(events)
    .values([
      { ...base, title: `${name} published`, status: 'published', visibility: 'public' },
      { ...base, title: `${name} draft`, status: 'draft', visibility: 'public' },
      { ...base, title: `${name} unlisted`, status: 'published', visibility: 'unlisted' },
    ])
    .returning({ id: events.id });
  // One transaction: the database refuses a balance without its ledger row at commit.
  await db.transaction(async (tx) => {
    await tx.insert(creditLedger).values({ teamId: id, delta: 1, reason: 'grant' });
    await tx.update(creditAccounts).set({ balance: 1 }).where(sql`${creditAccounts.teamId} = ${id}`);
  });
  await db.insert(idempotencyKeys).values({
    principal: `user:${id}`,
    userId: id,
    route: 'POST /api/events',
    key: randomUUID(),
    requestHash: 'x',
    status: 'completed',
    expiresAt: new Date(Date.now() + DAY),
  });
  await db.insert(sessions).values({ userId: id, tokenHash: randomUUID(), expiresAt: new Date(Date.now() + DAY) });
  if (!published || !draft || !unlisted) throw new Error('events were not inserted');
  return { id, published: published.id, draft: draft.id, unlisted: unlisted.id };
}

/** Runs `fn` as `role` with `sub` as the JWT subject, in a transaction that is always rolled back. */
async function as<T>(role: 'anon' | 'authenticated', sub: string | null, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  try {
    await client.query('begin');
    // set_config(..., true) and SET LOCAL last until the end of this transaction only.
    await client.query(`set local role ${role}`);
    const claims = sub ? { sub, role } : { role };
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]);
    return await fn(client);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

async function refused(role: 'anon' | 'authenticated', sub: string | null, statement: string, values: unknown[] = []) {
  return as(role, sub, async (c) => {
    const error = await c.query(statement, values).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, statement).toMatchObject({ code: '42501' }); // insufficient_privilege
  });
}

let a: Org;
let b: Org;

beforeAll(async () => {
  a = await seedOrganiser('A');
  b = await seedOrganiser('B');
});

describe('row-level security', () => {
  it('is enabled on every table of the schema, and not forced (the app connects as the owner)', async () => {
    // Every table lib/db/schema.ts declares, so a new table without RLS fails here.
    // (Not "every table in public": other test files create scratch tables there.)
    const tables: string[] = [];
    for (const value of Object.values(schema) as unknown[]) if (is(value, PgTable)) tables.push(getTableName(value));
    expect(tables.length).toBeGreaterThanOrEqual(8);
    const { rows } = await getPool().query<{ relname: string; rls: boolean; forced: boolean }>(
      `select relname, relrowsecurity as rls, relforcerowsecurity as forced
         from pg_class where relnamespace = 'public'::regnamespace and relname = any($1)`,
      [tables],
    );
    expect(rows.map((r) => r.relname).sort()).toEqual([...tables].sort());
    for (const row of rows) expect(row, row.relname).toMatchObject({ rls: true, forced: false });
  });

  it("shows an organiser their own rows and none of another organiser's", async () => {
    await as('authenticated', a.id, async (c) => {
      const ids = async (q: string) => (await c.query<{ id: string }>(q)).rows.map((r) => r.id);
      expect(await ids('select user_id as id from profiles')).toEqual([a.id]);
      // Credits are the team's: a's personal team, whose id is a's.
      expect(await ids('select team_id as id from credit_accounts')).toEqual([a.id]);
      expect(await ids('select team_id as id from credit_ledger')).toEqual([a.id]);
      expect(await ids('select user_id as id from idempotency_keys')).toEqual([a.id]);
      expect(await ids('select id from teams')).toEqual([a.id]);

      const visible = (await c.query<{ id: string }>('select id from events')).rows.map((r) => r.id);
      expect(visible).toEqual(expect.arrayContaining([a.published, a.draft, a.unlisted, b.published]));
      expect(visible).not.toContain(b.draft);
      expect(visible).not.toContain(b.unlisted);
    });
  });

  it("cannot change another organiser's profile; can rename its own but not change its team's plan", async () => {
    await as('authenticated', a.id, async (c) => {
      const other = await c.query(`update profiles set name = 'hijacked' where user_id = $1`, [b.id]);
      expect(other.rowCount).toBe(0);
      const own = await c.query(`update profiles set name = 'A renamed' where user_id = $1`, [a.id]);
      expect(own.rowCount).toBe(1);
    });
    await refused('authenticated', a.id, `update teams set plan = 'pro' where id = $1`, [a.id]);
    const { rows } = await getPool().query<{ name: string }>('select name from profiles where user_id = $1', [b.id]);
    expect(rows[0]?.name).toBe('B');
  });

  it('refuses direct writes to events, credits, the ledger, upgrades and idempotency records', async () => {
    await refused('authenticated', a.id, `update events set title = 'x' where id = $1`, [b.published]);
    await refused('authenticated', a.id, `update events set max_participants = 1000 where id = $1`, [a.published]);
    await refused('authenticated', a.id, `delete from events where id = $1`, [b.draft]);
    await refused('authenticated', a.id, `update credit_accounts set balance = 1000 where team_id = $1`, [a.id]);
    await refused('authenticated', a.id, `insert into credit_ledger (team_id, delta, reason) values ($1, 100, 'gift')`, [a.id]);
    await refused('authenticated', a.id, `delete from credit_ledger where team_id = $1`, [a.id]);
    await refused('authenticated', a.id, `insert into event_upgrades (event_id, team_id, participant_limit, ledger_id) values ($1, $2, 1000, 1)`, [
      a.published,
      a.id,
    ]);
    await refused(
      'authenticated',
      a.id,
      `insert into idempotency_keys (user_id, route, key, request_hash, status, expires_at) values ($1, 'r', gen_random_uuid(), 'x', 'completed', now())`,
      [a.id],
    );
    await refused('authenticated', a.id, `update idempotency_keys set status = 'failed' where user_id = $1`, [a.id]);
    await refused('authenticated', a.id, 'select public.purge_expired_idempotency_keys()');
  });

  it('keeps sessions and rate-limit counters server-only', async () => {
    await refused('authenticated', a.id, 'select * from sessions');
    await refused('authenticated', a.id, 'select * from auth_rate_limits');
    await refused('anon', null, 'select * from sessions');
  });

  it('lets anyone read published public events and nothing else', async () => {
    await as('anon', null, async (c) => {
      const visible = (await c.query<{ id: string }>('select id from events')).rows.map((r) => r.id);
      expect(visible).toEqual(expect.arrayContaining([a.published, b.published]));
      for (const hidden of [a.draft, a.unlisted, b.draft, b.unlisted]) expect(visible).not.toContain(hidden);
    });
    await refused('anon', null, 'select * from profiles');
    await refused('anon', null, 'select * from credit_ledger');
    await refused('anon', null, 'select * from idempotency_keys');
    await refused('anon', null, `insert into events (team_id, title, starts_at, ends_at, timezone, location_type, location_url, max_participants)
      values ($1, 'x', now() + interval '1 day', now() + interval '2 days', 'UTC', 'online', 'https://x', 5)`, [a.id]);
  });

  it('lets the owner role (the app) through unchanged', async () => {
    const { rows } = await getPool().query<{ n: number }>('select count(*)::int as n from events where team_id = any($1)', [[a.id, b.id]]);
    expect(rows[0]?.n).toBe(6);
  });
});

// The money invariants hold in the database, whatever SQL the
// app's own role (the tables' owner, which bypasses RLS) sends.
describe('money invariants in the database, as the app role', () => {
  async function failsWith(statements: { text: string; values?: unknown[] }[]): Promise<unknown> {
    const client = await getPool().connect();
    try {
      await client.query('begin');
      for (const s of statements) await client.query(s.text, s.values ?? []);
      await client.query('commit');
      return null;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      return error;
    } finally {
      client.release();
    }
  }
  const balance = async (id: string) =>
    (await getPool().query<{ balance: number }>('select balance from credit_accounts where team_id = $1', [id])).rows[0]?.balance;

  it('refuses a balance change without its ledger row, and a ledger row without its balance change', async () => {
    const org = await seedOrganiser('Money');
    const before = await balance(org.id);
    const alone = await getPool().query('update credit_accounts set balance = balance + 100 where team_id = $1', [org.id]).then(() => null, (e: unknown) => e);
    expect(alone).toMatchObject({ code: '23514' });
    const ledgerOnly = await failsWith([{ text: `insert into credit_ledger (team_id, delta, reason) values ($1, 5, 'gift')`, values: [org.id] }]);
    expect(ledgerOnly).toMatchObject({ code: '23514' });
    const wrongAmount = await failsWith([
      { text: `insert into credit_ledger (team_id, delta, reason) values ($1, 1, 'grant')`, values: [org.id] },
      { text: 'update credit_accounts set balance = balance + 2 where team_id = $1', values: [org.id] },
    ]);
    expect(wrongAmount).toMatchObject({ code: '23514' });
    expect(await balance(org.id)).toBe(before);
    // Both together, in one transaction, in either order: accepted.
    const together = await failsWith([
      { text: 'update credit_accounts set balance = balance + 2 where team_id = $1', values: [org.id] },
      { text: `insert into credit_ledger (team_id, delta, reason) values ($1, 2, 'grant')`, values: [org.id] },
    ]);
    expect(together).toBeNull();
    expect(await balance(org.id)).toBe((before ?? 0) + 2);
  });

  it('refuses updates and deletes of ledger amounts; only unlinking is allowed', async () => {
    const org = await seedOrganiser('Ledger');
    const [row] = (await getPool().query<{ id: string }>('select id from credit_ledger where team_id = $1', [org.id])).rows;
    if (!row) throw new Error('no ledger row');
    for (const statement of [
      'update credit_ledger set delta = 100 where id = $1',
      `update credit_ledger set reason = 'other' where id = $1`,
      'update credit_ledger set team_id = gen_random_uuid() where id = $1',
      'delete from credit_ledger where id = $1',
    ]) {
      const error = await getPool().query(statement, [row.id]).then(() => null, (e: unknown) => e);
      expect(error, statement).toMatchObject({ code: expect.stringMatching(/^(42501|23503)$/) });
    }
    const truncate = await getPool().query('truncate credit_ledger cascade').then(() => null, (e: unknown) => e);
    expect(truncate).toMatchObject({ code: '42501' });
    const unlink = await getPool().query('update credit_ledger set event_id = null, idempotency_key_id = null where id = $1', [row.id]);
    expect(unlink.rowCount).toBe(1);
  });

  it('still lets deleting an organiser cascade to its ledger', async () => {
    const org = await seedOrganiser('Leaving');
    await getPool().query('delete from events where team_id = $1', [org.id]);
    await getPool().query('delete from auth.users where id = $1', [org.id]);
    const { rows } = await getPool().query('select 1 from credit_ledger where team_id = $1', [org.id]);
    expect(rows).toEqual([]);
  });

  it('bounds the columns authenticated may write: a profile name of 100,000 characters is refused', async () => {
    await as('authenticated', a.id, async (c) => {
      const error = await c.query('update profiles set name = $1 where user_id = $2', ['x'.repeat(100_000), a.id]).then(() => null, (e: unknown) => e);
      expect(error).toMatchObject({ code: '23514' });
    });
    // The grants this rests on: name is the only column authenticated may write anywhere in public.
    const { rows } = await getPool().query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.column_privileges
        where grantee = 'authenticated' and table_schema = 'public' and privilege_type in ('INSERT', 'UPDATE')`,
    );
    expect(rows.map((r) => `${r.table_name}.${r.column_name}`).sort()).toEqual(['profiles.name']);
  });

  it('shows an organiser their own checkouts only, never the payment inbox, and lets them write neither', async () => {
    const pool = getPool();
    const insert = `insert into checkouts (team_id, pack_id, credits, amount, currency, provider) values ($1, 'credits-1', 1, 500, 'eur', 'test') returning id`;
    const mine = (await pool.query<{ id: string }>(insert, [a.id])).rows[0]?.id;
    const theirs = (await pool.query<{ id: string }>(insert, [b.id])).rows[0]?.id;
    await pool.query(`insert into payment_events (provider, provider_event_id, type, checkout_id, outcome) values ('test', $1, 'x', $2, 'ignored')`, [
      `evt_rls_${randomUUID()}`,
      mine,
    ]);
    await as('authenticated', a.id, async (c) => {
      const ids = (await c.query<{ id: string }>('select id from checkouts')).rows.map((r) => r.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(theirs);
    });
    await refused('authenticated', a.id, 'select * from payment_events');
    await refused('anon', null, 'select * from checkouts');
    await refused('authenticated', a.id, `update checkouts set status = 'paid', paid_at = now() where id = $1`, [mine]);
    await refused('authenticated', a.id, insert, [a.id]);
  });
});

// Teams (docs/api.md, "Teams, roles and door devices": "Row-level security on
// Supabase follows membership"): a member of a team reads its events, credits,
// ledger and checkouts through the Data API whatever their role; a member of
// another team reads none of them; a removed member stops reading them at once.
describe('row-level security by team membership', () => {
  it("shows a team's rows to its members, none to another team's, and stops at removal", async () => {
    const owner = await seedOrganiser('Team owner');
    const member = await seedOrganiser('Team member');
    const outsider = await seedOrganiser('Other team');
    const team = owner.id; // the owner's personal team: its id is the owner's
    const pool = getPool();
    // finance: the least of the roles that sees money, to show reading does not hang on the role.
    await pool.query(`insert into team_members (team_id, user_id, role) values ($1, $2, 'finance')`, [team, member.id]);
    const checkout = (
      await pool.query<{ id: string }>(
        `insert into checkouts (team_id, pack_id, credits, amount, currency, provider) values ($1, 'credits-1', 1, 500, 'eur', 'test') returning id`,
        [team],
      )
    ).rows[0]?.id;

    /** What `who` reads of the team, as the Data API would let them. */
    const seen = (who: string) =>
      as('authenticated', who, async (c) => {
        const of = async (q: string) => (await c.query<{ id: string }>(q, [team])).rows.map((r) => String(r.id));
        return {
          events: await of('select id from events where team_id = $1'),
          accounts: await of('select team_id as id from credit_accounts where team_id = $1'),
          ledger: await of('select id from credit_ledger where team_id = $1'),
          checkouts: await of('select id from checkouts where team_id = $1'),
          teams: await of('select id from teams where id = $1'),
          members: await of('select user_id as id from team_members where team_id = $1'),
        };
      });
    const ledgerIds = (await pool.query<{ id: string }>('select id from credit_ledger where team_id = $1', [team])).rows.map((r) => String(r.id));
    expect(ledgerIds.length).toBeGreaterThan(0);

    const everything = {
      events: expect.arrayContaining([owner.published, owner.draft, owner.unlisted]),
      accounts: [team],
      ledger: expect.arrayContaining(ledgerIds),
      checkouts: [checkout],
      teams: [team],
      members: expect.arrayContaining([owner.id, member.id]),
    };
    expect(await seen(owner.id)).toEqual(everything);
    expect(await seen(member.id)).toEqual(everything);
    // Another team's member: the published public event (anyone reads it) and nothing else.
    expect(await seen(outsider.id)).toEqual({ events: [owner.published], accounts: [], ledger: [], checkouts: [], teams: [], members: [] });
    // Their own team's rows stay theirs: the member still reads their personal team, the outsider theirs.
    await as('authenticated', outsider.id, async (c) => {
      expect((await c.query('select team_id from credit_accounts')).rows).toEqual([{ team_id: outsider.id }]);
    });
    // The audit log is the owners' page of the API only: no role reads it through the Data API.
    await refused('authenticated', owner.id, 'select * from audit_log');
    await refused('authenticated', member.id, 'select * from audit_log');

    // Removed: the very next query sees what an outsider sees.
    await pool.query('delete from team_members where team_id = $1 and user_id = $2', [team, member.id]);
    expect(await seen(member.id)).toEqual({ events: [owner.published], accounts: [], ledger: [], checkouts: [], teams: [], members: [] });
    await as('authenticated', member.id, async (c) => {
      expect((await c.query('select team_id from credit_accounts')).rows).toEqual([{ team_id: member.id }]);
    });
  });
});
