// The idempotency layer through the route wrapper: real Requests into test
// routes declared here (not under app/), with a real session.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { bigserial, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/lib/db/pool';
import { idempotencyKeys } from '@/lib/db/schema';
import { AppError } from '@/lib/errors';
import { eventCreditConfirmation } from '@/lib/events/credit-confirmation';
import { route } from '@/lib/http/route';
import { call, createOrganiser, type Organiser } from './support';

const itHttpEffects = pgTable('it_http_effects', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  key: uuid('key'),
  label: text('label').notNull(),
});

const db = getDb();
const Body = z.object({ title: z.string().min(1), max: z.number().int().optional() });

const createThing = route('POST', '/api/test-thing')
  .body(Body)
  .idempotent()
  .handle(async ({ db, body, idempotency }) => {
    const [row] = await db.insert(itHttpEffects).values({ key: idempotency.id, label: body.title }).returning({ id: itHttpEffects.id });
    const id = String(row?.id);
    return { status: 201, data: { thing: { id, title: body.title } }, headers: { Location: `/api/test-thing/${id}`, ETag: '"1"' } };
  });

const optionalThing = route('POST', '/api/test-thing-optional')
  .body(Body)
  .idempotentIfKeyed()
  .handle(async ({ db, body, idempotency }) => {
    await db.insert(itHttpEffects).values({ key: idempotency?.id ?? null, label: body.title });
    return { status: 201, data: { layered: idempotency !== null } };
  });

// Over the plan's limit unless the request carries confirm_credit=1.
const creditThing = route('POST', '/api/test-thing-credit')
  .body(Body)
  .idempotent()
  .confirmable(eventCreditConfirmation)
  .handle(async ({ db, body, idempotency, confirmed }) => {
    if ((body.max ?? 0) > 30 && !confirmed) {
      throw new AppError('CREDIT_CONFIRMATION_REQUIRED', {
        details: { creditsRequired: 1, balance: 2, planLimit: 30, requested: body.max },
      });
    }
    await db.insert(itHttpEffects).values({ key: idempotency.id, label: body.title });
    return { status: 201, data: { charged: confirmed } };
  });

let organiser: Organiser;

beforeAll(async () => {
  await db.execute(sql`create table if not exists it_http_effects (id bigserial primary key, key uuid, label text not null)`);
  organiser = await createOrganiser();
});

afterAll(closeDb);

async function countLabel(label: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(itHttpEffects).where(eq(itHttpEffects.label, label));
  return row?.n ?? -1;
}

async function recordCount(key: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, organiser.id), eq(idempotencyKeys.key, key)));
  return row?.n ?? -1;
}

describe('Idempotency-Key through the route wrapper', () => {
  it('answers 400 IDEMPOTENCY_KEY_REQUIRED without a key on a route that requires one, and writes nothing', async () => {
    const title = `no-key-${randomUUID()}`;
    const res = await call(createThing, 'POST', '/api/test-thing', { cookie: organiser.cookie, body: { title } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ success: false, error: { code: 'IDEMPOTENCY_KEY_REQUIRED' } });
    expect(await countLabel(title)).toBe(0);
  });

  it.each([
    ['not a UUID', 'abc'],
    ['empty', ''],
    ['a UUID with trailing junk', `${randomUUID()}x`],
    ['too long', `"${randomUUID()}${' '.repeat(60)}"`],
  ])('answers 400 INVALID_IDEMPOTENCY_KEY for a key that is %s', async (_, key) => {
    const title = `bad-key-${randomUUID()}`;
    const res = await call(createThing, 'POST', '/api/test-thing', {
      cookie: organiser.cookie,
      body: { title },
      headers: { 'idempotency-key': key },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'INVALID_IDEMPOTENCY_KEY' } });
    expect(await countLabel(title)).toBe(0);
  });

  it('stores the first answer and replays it for the same key, quoted and upper-case, with Location and ETag', async () => {
    const key = randomUUID();
    const title = `thing-${key}`;
    const first = await call(createThing, 'POST', '/api/test-thing', { cookie: organiser.cookie, key, body: { title } });
    expect(first.status).toBe(201);
    expect(first.headers.get('x-idempotency-stored')).toBe('true');
    expect(first.headers.get('location')).toMatch(/^\/api\/test-thing\/\d+$/);
    expect(first.headers.get('etag')).toBe('"1"');

    const again = await call(createThing, 'POST', '/api/test-thing', {
      cookie: organiser.cookie,
      headers: { 'idempotency-key': `"${key.toUpperCase()}"` },
      body: { title },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('x-idempotency-replay')).toBe('true');
    expect(again.headers.get('x-idempotency-stored')).toBeNull();
    expect(again.json).toEqual(first.json);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe('"1"');
    expect(await countLabel(title)).toBe(1);
    expect(await recordCount(key)).toBe(1);
  });

  it('answers 422 with the differing field for the same key and another body', async () => {
    const key = randomUUID();
    await call(createThing, 'POST', '/api/test-thing', { cookie: organiser.cookie, key, body: { title: `a-${key}` } });
    const res = await call(createThing, 'POST', '/api/test-thing', { cookie: organiser.cookie, key, body: { title: `b-${key}` } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED', details: { differingFields: ['/title'] } } });
    expect(await countLabel(`b-${key}`)).toBe(0);
  });

  it('answers 400 VALIDATION_FAILED before the layer, leaving no record for the key', async () => {
    const key = randomUUID();
    const res = await call(createThing, 'POST', '/api/test-thing', { cookie: organiser.cookie, key, body: { title: '' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', fieldErrors: { title: expect.any(Array) } } });
    expect(await recordCount(key)).toBe(0);
  });

  it('runs an optional route without the layer when no key is sent, and inside it when one is', async () => {
    const bare = `optional-bare-${randomUUID()}`;
    const res = await call(optionalThing, 'POST', '/api/test-thing-optional', { cookie: organiser.cookie, body: { title: bare } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ data: { layered: false } });
    expect(res.headers.get('x-idempotency-stored')).toBeNull();
    expect(await countLabel(bare)).toBe(1);

    const key = randomUUID();
    const keyed = `optional-keyed-${key}`;
    const first = await call(optionalThing, 'POST', '/api/test-thing-optional', { cookie: organiser.cookie, key, body: { title: keyed } });
    const again = await call(optionalThing, 'POST', '/api/test-thing-optional', { cookie: organiser.cookie, key, body: { title: keyed } });
    expect(first.json).toMatchObject({ data: { layered: true } });
    expect(first.headers.get('x-idempotency-stored')).toBe('true');
    expect(again.headers.get('x-idempotency-replay')).toBe('true');
    expect(await countLabel(keyed)).toBe(1);
  });

  it('keeps confirm_credit out of the fingerprint: the confirming retry of an attempt runs it once', async () => {
    const key = randomUUID();
    const title = `credit-${key}`;
    const body = { title, max: 200 };
    const ask = await call(creditThing, 'POST', '/api/test-thing-credit', { cookie: organiser.cookie, key, body });
    expect(ask.status).toBe(402);
    expect(ask.json).toMatchObject({ error: { code: 'CREDIT_CONFIRMATION_REQUIRED', details: { requested: 200 } } });
    const repeat = await call(creditThing, 'POST', '/api/test-thing-credit', { cookie: organiser.cookie, key, body });
    expect(repeat.status).toBe(402);
    expect(repeat.headers.get('x-idempotency-replay')).toBe('true');
    expect(await countLabel(title)).toBe(0);

    const confirmed = await call(creditThing, 'POST', '/api/test-thing-credit?confirm_credit=1', { cookie: organiser.cookie, key, body });
    expect(confirmed.status).toBe(201);
    expect(confirmed.json).toMatchObject({ data: { charged: true } });
    const replay = await call(creditThing, 'POST', '/api/test-thing-credit?confirm_credit=1', { cookie: organiser.cookie, key, body });
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(await countLabel(title)).toBe(1);
  });
});
