// The chaos kit (e2e/README.md, "The chaos kit"): named faults as one-line
// helpers, and `expectInvariants()`, which checks through the API and a
// read-only SQL connection to the e2e server's database that no fault made
// the app do anything twice. Network faults hit the FIRST matching mutation
// (POST, PUT, PATCH, DELETE) only; later requests pass untouched.
import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Locator, type Page, type Route } from '@playwright/test';
import pg from 'pg';
import { apiRoute, routeLabel } from '../../lib/api-routes';
import { e2eDatabaseUrl } from './fixtures';
import { replayRequest, type CapturedRequest } from './replay';

/** Which requests a fault is for, by URL (e.g. `(url) => url.pathname === '/api/events'`). */
export type Matcher = (url: URL) => boolean;

export type Fault = {
  /** Resolves once the fault has happened (the request committed and its answer was cut, the request was swallowed, …). */
  happened: Promise<void>;
  /** Ends a held request: the browser sees the connection reset (its controller then retries with the same key). */
  release(): void;
};

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Puts `fault` on the first `times` matching mutations; with `hold`, the
 * request's answer never comes until `release()`. `happened` resolves after the first.
 */
async function onFirstMutation(page: Page, matches: Matcher, fault: (route: Route) => Promise<void>, hold: boolean, times = 1): Promise<Fault> {
  let hits = 0;
  let happened!: () => void;
  let release!: () => void;
  const done = new Promise<void>((resolve) => (happened = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(matches, async (route) => {
    if (hits >= times || !MUTATIONS.has(route.request().method())) return route.continue();
    hits++;
    await fault(route);
    happened();
    if (!hold) return;
    await released; // a reload or navigation ends the wait too: the browser drops the request
    await route.abort('connectionreset').catch(() => {});
  });
  return { happened: done, release };
}

/** The request reaches the server and commits; the browser never hears back (until `release()`). */
export function holdAnswerAfterCommit(page: Page, matches: Matcher): Promise<Fault> {
  return onFirstMutation(page, matches, async (route) => void (await route.fetch()), true);
}

/**
 * The request reaches the server and commits; the connection then resets, so
 * the browser sees a network error at once. `times`: so for the first `times`
 * requests (the automatic retries too: with 5, the controller's retries run out
 * and it asks GET /api/idempotency/:key what became of the attempt).
 */
export function dropAnswerAfterCommit(page: Page, matches: Matcher, { times = 1 }: { times?: number } = {}): Promise<Fault> {
  return onFirstMutation(
    page,
    matches,
    async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    },
    false,
    times,
  );
}

/**
 * Offline right after the click: the request never reaches the server. With
 * `{ hold: true }` it hangs (for a reload to cut it); otherwise it fails at once.
 */
export function offlineAfterSend(page: Page, matches: Matcher, { hold = false }: { hold?: boolean } = {}): Promise<Fault> {
  return onFirstMutation(page, matches, async (route) => void (hold ? undefined : await route.abort('internetdisconnected')), hold);
}

/** Every matching mutation waits `ms` before it reaches the server. */
export async function slowServer(page: Page, matches: Matcher, ms: number): Promise<void> {
  await page.route(matches, async (route) => {
    if (MUTATIONS.has(route.request().method())) await new Promise((resolve) => setTimeout(resolve, ms));
    await route.continue();
  });
}

/** `n` clicks in one tick (one task of the page), faster than any re-render can disable the button. */
export async function burstClicks(locator: Locator, n: number): Promise<void> {
  await locator.evaluate((element, count) => {
    for (let i = 0; i < count; i++) (element as HTMLElement).click();
  }, n);
}

/** Clicks `submit` with the first matching request held after it committed, and reloads the page at that moment. */
export async function reloadMidRequest(page: Page, matches: Matcher, submit: () => Promise<void>): Promise<void> {
  const fault = await holdAnswerAfterCommit(page, matches);
  await submit();
  await fault.happened;
  await page.reload();
}

/**
 * "Duplicate tab": a new tab in the same browser context whose sessionStorage
 * is a copy of this tab's (as Chromium's Duplicate does), opened on the same URL.
 */
export async function duplicateTab(page: Page): Promise<Page> {
  const entries = await page.evaluate(() => {
    try {
      return Object.entries(sessionStorage);
    } catch {
      return []; // storage disabled: nothing to copy
    }
  });
  const copy = await page.context().newPage();
  await copy.addInitScript((items: [string, string][]) => {
    if (items.length === 0 || sessionStorage.getItem('chaos:duplicated')) return;
    sessionStorage.setItem('chaos:duplicated', '1');
    for (const [key, value] of items) sessionStorage.setItem(key, value);
  }, entries);
  await copy.goto(page.url());
  return copy;
}

/**
 * Back, then Forward, with the first matching request held after it committed:
 * the person leaves the form mid-request and comes back to it.
 */
export async function backForwardResubmit(page: Page, matches: Matcher, submit: () => Promise<void>): Promise<void> {
  const fault = await holdAnswerAfterCommit(page, matches);
  await submit();
  await fault.happened;
  await page.goBack();
  await page.goForward();
}

/** Sends the captured request again with the same key and a changed body: the API must refuse, 422 IDEMPOTENCY_KEY_REUSED. */
export async function replayWithChangedBody(page: Page, request: CapturedRequest, change: (body: unknown) => unknown): Promise<APIResponse> {
  const response = await replayRequest(page, { ...request, body: JSON.stringify(change(request.json)) });
  expect(response.status(), 'a changed body with a used key').toBe(422);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  return response;
}

/**
 * Sends the captured request (same key and body) as someone else: a new
 * organiser (`as: 'organiser'`) or a new guest. It is another record: never a replay of the first answer.
 */
export async function replayAsOtherUser(
  browser: Browser,
  baseURL: string,
  request: CapturedRequest,
  as: 'organiser' | 'guest',
): Promise<{ status: number; replayed: boolean; context: BrowserContext }> {
  const context = await browser.newContext({ baseURL });
  if (as === 'organiser') {
    const signUp = await context.request.post('/api/auth/sign-up', {
      data: { email: `other-${randomUUID().slice(0, 8)}@example.com`, password: 'other-password-123', name: 'Other' },
      headers: { 'x-forwarded-for': `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` },
    });
    expect(signUp.status()).toBe(201);
  }
  const other = await context.newPage();
  const response = await replayRequest(other, request);
  const replayed = response.headers()['x-idempotency-replay'] === 'true';
  expect(replayed, 'another principal never gets the first one’s stored answer').toBe(false);
  expect(response.status(), 'another principal’s request').toBeLessThan(500);
  return { status: response.status(), replayed, context };
}

/** One invariant's offenders: rows that break it (none expected). */
type Check = { name: string; sql: string };

/** The idempotency scopes that create what the checks count. */
const CREATES_EVENT = routeLabel(apiRoute('POST', '/api/events'));
const CREATES_REGISTRATION = routeLabel(apiRoute('POST', '/api/public/events/[slug]/registrations'));
const CREATES_CHECKOUT = routeLabel(apiRoute('POST', '/api/billing/checkout'));
const CREATES_ORDER = routeLabel(apiRoute('POST', '/api/public/events/[slug]/orders'));
const CREATES_REFUND = routeLabel(apiRoute('POST', '/api/events/[id]/orders/[oid]/refund'));

const CHECKS: Check[] = [
  {
    name: 'a key produced two ledger rows',
    sql: `select idempotency_key_id::text as id, count(*)::int as n from credit_ledger
          where idempotency_key_id is not null group by 1 having count(*) > 1`,
  },
  {
    name: 'an event without exactly one creation',
    sql: `select e.id::text as id, (select count(*)::int from idempotency_keys k
            where k.route = '${CREATES_EVENT}' and k.resource_type = 'event' and k.resource_id = e.id) as n
          from events e where (select count(*) from idempotency_keys k
            where k.route = '${CREATES_EVENT}' and k.resource_type = 'event' and k.resource_id = e.id) <> 1`,
  },
  {
    name: 'a registration without exactly one creation',
    sql: `select r.id::text as id, (select count(*)::int from idempotency_keys k
            where k.route = '${CREATES_REGISTRATION}' and k.resource_id = r.id) as n
          from registrations r where r.order_id is null and (select count(*) from idempotency_keys k
            where k.route = '${CREATES_REGISTRATION}' and k.resource_id = r.id) <> 1`,
  },
  {
    name: 'a checkout without exactly one creation',
    sql: `select c.id::text as id, (select count(*)::int from idempotency_keys k
            where k.route = '${CREATES_CHECKOUT}' and k.resource_id = c.id) as n
          from checkouts c where (select count(*) from idempotency_keys k
            where k.route = '${CREATES_CHECKOUT}' and k.resource_id = c.id) <> 1`,
  },
  {
    name: 'confirmed registrations over capacity (or a seat count that disagrees with the rows)',
    sql: `select e.id::text as id, count(r.id)::int as n from events e
          left join registrations r on r.event_id = e.id and r.status = 'confirmed'
          group by e.id having count(r.id) > e.max_participants or count(r.id) <> e.confirmed_count`,
  },
  {
    name: 'a balance that is not its ledger sum',
    sql: `select u.team_id::text as id, u.balance - u.ledger as n from (
            select coalesce(a.team_id, l.team_id) as team_id, coalesce(a.balance, 0) as balance, coalesce(l.total, 0) as ledger
            from credit_accounts a full join (select team_id, sum(delta)::int as total from credit_ledger group by 1) l on l.team_id = a.team_id
          ) u where u.balance <> u.ledger`,
  },
  {
    name: 'a checkout granted twice, or a paid one not granted (or granted another amount)',
    sql: `select c.id::text as id, count(l.id)::int as n from checkouts c
          left join credit_ledger l on l.checkout_id = c.id
          group by c.id, c.status, c.credits
          having count(l.id) > 1 or (c.status = 'paid') <> (count(l.id) = 1) or (count(l.id) = 1 and min(l.delta) <> c.credits)`,
  },
  // Door check-in.
  {
    name: 'a ticket admitted twice, or checked in at another time than its admitting scan',
    sql: `select r.id::text as id, count(s.id)::int as n from registrations r
          left join checkin_scans s on s.registration_id = r.id and s.result = 'admitted'
          group by r.id, r.checked_in_at
          having count(s.id) > 1 or (r.checked_in_at is null) <> (count(s.id) = 0) or (count(s.id) = 1 and min(s.scanned_at) <> r.checked_in_at)`,
  },
  // Paid tickets
  {
    name: 'an order without exactly one creation',
    sql: `select o.id::text as id, (select count(*)::int from idempotency_keys k
            where k.route = '${CREATES_ORDER}' and k.resource_id = o.id) as n
          from orders o where (select count(*) from idempotency_keys k
            where k.route = '${CREATES_ORDER}' and k.resource_id = o.id) <> 1`,
  },
  {
    name: "an organiser's refund without exactly one request",
    sql: `select r.id::text as id, (select count(*)::int from idempotency_keys k
            where k.route = '${CREATES_REFUND}' and k.resource_id = r.id) as n
          from refunds r where r.reason = 'organiser' and r.registration_id is null and (select count(*) from idempotency_keys k
            where k.route = '${CREATES_REFUND}' and k.resource_id = r.id) <> 1`,
  },
  {
    name: 'refunds beyond their payment',
    sql: `select p.id::text as id, sum(r.amount)::int as n from payments p join refunds r on r.payment_id = p.id and r.status <> 'failed'
          group by p.id, p.amount having sum(r.amount) > p.amount`,
  },
  {
    name: 'a paid order with neither seats nor its money back',
    sql: `select o.id::text as id, p.amount as n from orders o join payments p on p.order_id = o.id
          where not exists (select 1 from registrations r where r.order_id = o.id and r.status = 'confirmed')
            and coalesce((select sum(amount) from refunds r where r.order_id = o.id and r.status <> 'failed'), 0) < p.amount`,
  },
  {
    name: 'a paid ticket cancelled before its money came back',
    sql: `select o.id::text as id, (select count(*)::int from registrations r where r.order_id = o.id and r.status = 'cancelled') as n
          from orders o join payments p on p.order_id = o.id
          where (select coalesce(sum(i.unit_amount - i.unit_discount), 0) from registrations r
                   join order_items i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
                  where r.order_id = o.id and r.status = 'cancelled')
              > (select coalesce(sum(f.amount), 0) from refunds f where f.order_id = o.id and f.status = 'succeeded')`,
  },
  {
    // Issue 35: uses = tickets bought with the code (confirmed, and live holds), never over max_uses.
    name: 'a code used beyond its max_uses',
    sql: `select c.id::text as id, (u.used + u.held)::int as n from discount_codes c
          cross join lateral (select
            (select count(*) from registrations r join order_items i on i.order_id = r.order_id and i.ticket_type_id = r.ticket_type_id
              where i.code_id = c.id and r.status = 'confirmed') as used,
            (select coalesce(sum(i.quantity), 0) from order_items i join orders o on o.id = i.order_id
              where i.code_id = c.id and o.status = 'pending_payment' and o.hold_expires_at > now()) as held) u
          where c.max_uses is not null and u.used + u.held > c.max_uses`,
  },
  {
    name: 'confirmed plus held seats over capacity, or a type sold over its quantity',
    sql: `select e.id::text as id, (e.confirmed_count + coalesce(h.held, 0))::int as n from events e
          left join (select o.event_id, sum(i.quantity) as held from orders o join order_items i on i.order_id = o.id
                     where o.status = 'pending_payment' and o.hold_expires_at > now() group by 1) h on h.event_id = e.id
          where e.confirmed_count + coalesce(h.held, 0) > e.max_participants
          union all
          select t.id::text, t.sold_count from ticket_types t
          where (t.quantity is not null and t.sold_count > t.quantity)
             or t.sold_count <> (select count(*) from registrations r where r.ticket_type_id = t.id and r.status = 'confirmed')`,
  },
  // Questions for guests: what the deferred trigger registrations_required_answers keeps, checked over the whole database.
  {
    name: 'a confirmed guest without an answer to a required question',
    sql: `select r.id::text as id, count(q.id)::int as n from registrations r
          join questions q on q.event_id = r.event_id and q.deleted_at is null
          cross join lateral (select v.required, v.per, v.ticket_type_ids from question_versions v
            where v.question_id = q.id and v.created_at <= coalesce((select o.created_at from orders o where o.id = r.order_id), r.created_at)
            order by v.version desc limit 1) v
          where r.status = 'confirmed' and v.required and (
            (r.order_id is null and cardinality(v.ticket_type_ids) = 0
              and not exists (select 1 from answers a where a.registration_id = r.id and a.question_id = q.id))
            or (r.order_id is not null and v.per = 'ticket' and (cardinality(v.ticket_type_ids) = 0 or r.ticket_type_id = any (v.ticket_type_ids))
              and not exists (select 1 from answers a where a.registration_id = r.id and a.question_id = q.id))
            or (r.order_id is not null and v.per = 'order'
              and (cardinality(v.ticket_type_ids) = 0 or exists (select 1 from order_items i where i.order_id = r.order_id and i.ticket_type_id = any (v.ticket_type_ids)))
              and not exists (select 1 from answers a where a.order_id = r.order_id and a.holder_index is null and a.question_id = q.id)))
          group by r.id`,
  },
];

/** Runs `fn` in a REPEATABLE READ, read-only transaction on the e2e server's database (one snapshot for all checks). */
export async function withReadOnlyDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl(), application_name: 'e2e-chaos-invariants' });
  await client.connect();
  try {
    // The transaction alone is read-only, never the session: the embedded PGlite
    // serves every connection from one session, so a session setting would make
    // the app's own writes fail after this check.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await fn(client);
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
}

/**
 * The invariants no fault may break, over the whole e2e database: no key
 * produced two effects; every event, registration and checkout has exactly one
 * creation; confirmed registrations never exceed capacity; every balance equals
 * its ledger; every checkout granted at most once (a paid one exactly once).
 * With `api` (a signed-in organiser's request context), the API must agree:
 * its balance is the ledger's sum, and its events' seats stay within capacity.
 */
export async function expectInvariants(api?: APIRequestContext): Promise<void> {
  const broken = await withReadOnlyDb(async (client) => {
    const found: string[] = [];
    for (const check of CHECKS) {
      const { rows } = await client.query<{ id: string; n: number }>(check.sql);
      for (const row of rows) found.push(`${check.name}: ${row.id} (${row.n})`);
    }
    return found;
  });
  expect(broken, 'invariants broken in the database').toEqual([]);
  if (!api) return;

  const me = await api.get('/api/me');
  if (me.status() !== 200) return; // a guest: nothing of its own to compare
  const { data } = (await me.json()) as { data: { user: { id: string } } };
  const credits = (await (await api.get('/api/credits')).json()) as { data: { balance: number } };
  const ledger = await withReadOnlyDb(async (client) => {
    const { rows } = await client.query<{ total: number }>('select coalesce(sum(delta), 0)::int as total from credit_ledger where team_id = $1', [data.user.id]);
    return rows[0]?.total ?? 0;
  });
  expect(credits.data.balance, 'GET /api/credits equals the ledger sum').toBe(ledger);
  const events = (await (await api.get('/api/events?limit=200')).json()) as {
    data: { events: { id: string; seats: { capacity: number; confirmed: number } }[] };
  };
  for (const event of events.data.events) expect(event.seats.confirmed, `seats of ${event.id}`).toBeLessThanOrEqual(event.seats.capacity);
}
