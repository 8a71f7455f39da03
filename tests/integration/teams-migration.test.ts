// The teams migration on a database that already has organisers, events,
// credits, purchases, API keys and webhook endpoints (docs/api.md, "Teams"):
// every organiser gets a personal team whose id is theirs, with their plan and
// their name, as its owner; every row that named them names that team; the
// balance still equals the ledger, and the database's money rules still hold.
// The migrations run from their files, in order, as `npm run db:migrate` and
// `supabase db push` apply them, on a database of their own.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { createTestDatabase } from '../setup/global-db';

const root = process.cwd();
const name = `teams_migration_${randomUUID().slice(0, 8)}`;

let client: pg.Client;
/** A database of the test's own: a new one on the test server, or a second embedded PGlite (which holds one database). */
let drop: () => Promise<void>;

async function runFile(file: string): Promise<void> {
  for (const statement of (await readFile(file, 'utf8')).split('--> statement-breakpoint')) {
    if (statement.trim()) await client.query(statement);
  }
}

beforeAll(async () => {
  let url: string;
  if (inject('databaseKind') === 'pglite') {
    const embedded = await startEmbeddedPostgres({ dataDir: null, port: 55532 });
    url = embedded.url;
    drop = () => embedded.stop();
  } else {
    const db = await createTestDatabase(inject('databaseUrl'), name);
    url = db.url;
    drop = () => db.drop();
  }
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const local = path.join(root, 'supabase/local');
  for (const file of (await readdir(local)).filter((f) => f.endsWith('.sql')).sort()) await client.query(await readFile(path.join(local, file), 'utf8'));
});

afterAll(async () => {
  await client?.end();
  await drop?.();
});

describe('the teams migration', () => {
  it('moves existing events, credits, purchases, keys and endpoints into each organiser’s personal team', async () => {
    const dir = path.join(root, 'supabase/migrations');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    const teamsAt = files.findIndex((f) => f.endsWith('_teams.sql'));
    expect(teamsAt).toBeGreaterThan(0);
    for (const file of files.slice(0, teamsAt)) await runFile(path.join(dir, file));

    // Two organisers as the app left them before teams: a pro one with credits, a purchase, an upgraded
    // event, a key and an endpoint; a free one with a draft and no name.
    const ann = randomUUID();
    const bob = randomUUID();
    await client.query(`insert into auth.users (id, email) values ($1, 'ann@example.com'), ($2, 'bob.smith@example.com')`, [ann, bob]);
    await client.query(`insert into profiles (user_id, name, plan) values ($1, 'Ann Organiser', 'pro'), ($2, null, 'free')`, [ann, bob]);
    const [annEvent, bobEvent] = (
      await client.query<{ id: string }>(
        `insert into events (owner_id, title, starts_at, ends_at, timezone, location_type, location_url, max_participants, status)
         values ($1, 'Ann''s talk', now() + interval '9 days', now() + interval '10 days', 'UTC', 'online', 'https://x.example', 80, 'published'),
                ($2, 'Bob''s draft', now() + interval '9 days', now() + interval '10 days', 'UTC', 'online', 'https://x.example', 5, 'draft')
         returning id`,
        [ann, bob],
      )
    ).rows;
    await client.query('begin');
    const checkout = await client.query<{ id: string }>(
      `insert into checkouts (user_id, pack_id, credits, amount, currency, status, provider, paid_at) values ($1, 'pack-5', 5, 2500, 'eur', 'paid', 'test', now()) returning id`,
      [ann],
    );
    await client.query(`insert into credit_ledger (user_id, delta, reason, checkout_id) values ($1, 5, 'purchase', $2)`, [ann, checkout.rows[0]?.id]);
    const debit = await client.query<{ id: number }>(`insert into credit_ledger (user_id, delta, reason, event_id) values ($1, -1, 'event_upgrade', $2) returning id`, [ann, annEvent?.id]);
    await client.query(`update credit_accounts set balance = 4 where user_id = $1`, [ann]);
    await client.query(`insert into event_upgrades (event_id, user_id, participant_limit, ledger_id) values ($1, $2, 1000, $3)`, [annEvent?.id, ann, debit.rows[0]?.id]);
    await client.query('commit');
    await client.query(`insert into api_keys (user_id, name, prefix, secret_hash) values ($1, 'CRM', 'evk_abcdefgh', 'hash-1')`, [ann]);
    await client.query(`insert into webhook_endpoints (user_id, url, events, secret) values ($1, 'https://hooks.example.com', '{order.paid}', 'whsec_x')`, [ann]);

    for (const file of files.slice(teamsAt)) await runFile(path.join(dir, file));

    const teams = await client.query(`select id, name, plan, personal_owner_id from teams order by name`);
    expect(teams.rows).toEqual([
      { id: ann, name: 'Ann Organiser', plan: 'pro', personal_owner_id: ann },
      { id: bob, name: 'bob.smith', plan: 'free', personal_owner_id: bob },
    ]);
    const members = await client.query(`select team_id, user_id, role from team_members order by role, team_id`);
    expect(members.rows).toEqual(expect.arrayContaining([{ team_id: ann, user_id: ann, role: 'owner' }, { team_id: bob, user_id: bob, role: 'owner' }]));
    expect(members.rows).toHaveLength(2);

    const owned = async (table: string) => (await client.query<{ team_id: string }>(`select team_id from ${table} order by team_id`)).rows.map((r) => r.team_id);
    expect((await client.query(`select id, team_id from events order by title`)).rows).toEqual([
      { id: annEvent?.id, team_id: ann },
      { id: bobEvent?.id, team_id: bob },
    ]);
    expect(await owned('checkouts')).toEqual([ann]);
    expect(await owned('credit_ledger')).toEqual([ann, ann]);
    expect(await owned('event_upgrades')).toEqual([ann]);
    expect(await owned('webhook_endpoints')).toEqual([ann]);
    const balances = await client.query(`select team_id, balance from credit_accounts order by balance desc`);
    expect(balances.rows).toEqual([
      { team_id: ann, balance: 4 },
      { team_id: bob, balance: 0 },
    ]);
    const key = await client.query(`select team_id, created_by, scopes from api_keys`);
    expect(key.rows).toEqual([{ team_id: ann, created_by: ann, scopes: ['events:read', 'events:write', 'orders:read', 'orders:refund', 'checkin', 'webhooks'] }]);

    // The money rules follow the team: a balance without its ledger row still fails at commit …
    const refused = await client.query(`update credit_accounts set balance = 10 where team_id = $1`, [ann]).then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(refused).toBe('23514');
    // … and a new organiser still gets a personal team, its owner membership and a credit account.
    const cleo = randomUUID();
    await client.query(`insert into auth.users (id, email) values ($1, 'cleo@example.com')`, [cleo]);
    await client.query(`insert into profiles (user_id, name) values ($1, 'Cleo')`, [cleo]);
    expect((await client.query(`select t.name, m.role, a.balance from teams t join team_members m on m.team_id = t.id join credit_accounts a on a.team_id = t.id where t.id = $1`, [cleo])).rows).toEqual([
      { name: 'Cleo', role: 'owner', balance: 0 },
    ]);
    // A team never loses its last owner.
    const lastOwner = await client.query(`update team_members set role = 'manager' where team_id = $1`, [ann]).then(
      () => null,
      (e: { code?: string }) => e.code,
    );
    expect(lastOwner).toBe('23514');
    // Deleting an organiser still takes their personal team's money rows with it.
    await client.query(`delete from auth.users where id = $1`, [bob]);
    expect((await client.query(`select count(*)::int as n from events where team_id = $1`, [bob])).rows[0]).toEqual({ n: 0 });
    expect((await client.query(`select count(*)::int as n from teams where id = $1`, [bob])).rows[0]).toEqual({ n: 0 });
  });
});
