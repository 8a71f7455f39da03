// Event covers (docs/api.md, "Covers, public pages and the organiser's
// numbers"): PUT and DELETE /api/events/:id/cover through the real route
// handlers, with real images made by sharp and the local media store in a
// temporary folder.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE as deleteCover, PUT as putCover } from '@/app/api/events/[id]/cover/route';
import { DELETE as deleteEvent } from '@/app/api/events/[id]/route';
import { POST as postEvent } from '@/app/api/events/route';
import { GET as getMedia } from '@/app/media/[...name]/route';
import { GET as getPublicEvent } from '@/app/api/public/events/[slug]/route';
import { closeDb, getDb } from '@/lib/db/pool';
import { events } from '@/lib/db/schema';
import { call, createOrganiser, ORIGIN, type Organiser } from './support';
import { validEventBody } from '../support/event-body';

let mediaDir = '';
beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), 'covers-'));
  process.env.MEDIA_DIR = mediaDir;
});
afterAll(async () => {
  await closeDb();
  delete process.env.MEDIA_DIR;
  await rm(mediaDir, { recursive: true, force: true });
});

type EventJson = { id: string; slug: string; version: number; coverUrl: string | null; coverSize: { width: number; height: number } | null };
type ErrorJson = { success: false; error: { code: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> } };

async function createdEvent(organiser: Organiser, body = validEventBody()): Promise<EventJson> {
  const res = await call(postEvent, 'POST', '/api/events', { cookie: organiser.cookie, key: randomUUID(), body });
  expect(res.status).toBe(201);
  return (res.json as { data: { event: EventJson } }).data.event;
}

async function upload(organiser: Organiser, id: string, bytes: Buffer, type: string, key: string = randomUUID()) {
  const request = new Request(new URL(`/api/events/${id}/cover`, ORIGIN), {
    method: 'PUT',
    headers: { host: 'localhost:3000', 'x-forwarded-for': '198.51.100.7', cookie: organiser.cookie, 'idempotency-key': key, 'content-type': type },
    body: new Uint8Array(bytes),
  });
  const response = await putCover(request, { params: Promise.resolve({ id }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

const eventOf = (res: { json: Record<string, unknown> }) => (res.json as { data: { event: EventJson } }).data.event;
const codeOf = (res: { json: Record<string, unknown> }) => (res.json as ErrorJson).error.code;

/** The stored file behind a local coverUrl (`/media/<name>`). */
const fileOf = (url: string) => path.join(mediaDir, url.replace(/^\/media\//, ''));

async function filesOf(eventId: string): Promise<string[]> {
  return readdir(path.join(mediaDir, 'covers', eventId)).catch(() => []);
}

function photo(width: number, height: number, background = '#c33') {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** A camera's JPEG: 2400 × 1200, with its owner's name and the GPS position in EXIF. */
async function cameraJpeg(): Promise<Buffer> {
  return photo(2400, 1200)
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'Secret Owner', Artist: 'Anna Photographer' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '37/1 37/1 0/1' },
    })
    .toBuffer();
}

describe('PUT /api/events/:id/cover', () => {
  it('re-encodes a JPEG to WebP at most 1600 px wide, aspect kept, with no EXIF or GPS left, and serves it with a long cache', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const jpeg = await cameraJpeg();
    const original = await sharp(jpeg).metadata();
    expect(original.exif?.includes(Buffer.from('Secret Owner'))).toBe(true);

    const res = await upload(organiser, event.id, jpeg, 'image/jpeg');
    expect(res.status).toBe(200);
    const after = eventOf(res);
    expect(after.coverUrl).toMatch(new RegExp(`^/media/covers/${event.id}/[0-9a-f]{32}\\.webp$`));
    expect(after.coverSize).toEqual({ width: 1600, height: 800 });
    expect(after.version).toBe(event.version + 1);
    expect(res.headers.get('etag')).toBe(`"${after.version}"`);

    const stored = await readFile(fileOf(after.coverUrl ?? ''));
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1600, height: 800 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(stored.includes(Buffer.from('Secret Owner'))).toBe(false);

    const served = await getMedia(new Request(new URL(after.coverUrl ?? '', ORIGIN)), {
      params: Promise.resolve({ name: (after.coverUrl ?? '').replace(/^\/media\//, '').split('/') }),
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await served.arrayBuffer()).equals(stored)).toBe(true);

    // The public answer names it too.
    const pub = await call(getPublicEvent, 'GET', `/api/public/events/${event.slug}`, { params: { slug: event.slug } });
    expect((pub.json as { data: { event: EventJson } }).data.event.coverUrl).toBe(after.coverUrl);
  });

  it('keeps a small PNG at its size and takes WebP', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const png = await upload(organiser, event.id, await photo(300, 200).png().toBuffer(), 'image/png');
    expect(png.status).toBe(200);
    expect(eventOf(png).coverSize).toEqual({ width: 300, height: 200 });
    const webp = await upload(organiser, event.id, await photo(640, 480, '#3c3').webp().toBuffer(), 'image/webp');
    expect(webp.status).toBe(200);
    expect(eventOf(webp).coverSize).toEqual({ width: 640, height: 480 });
  });

  it('replaces a cover and deletes the old file once the new one is committed', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const first = eventOf(await upload(organiser, event.id, await photo(800, 600, '#113').jpeg().toBuffer(), 'image/jpeg'));
    await expect(stat(fileOf(first.coverUrl ?? ''))).resolves.toBeTruthy();
    const second = eventOf(await upload(organiser, event.id, await photo(800, 600, '#d91').jpeg().toBuffer(), 'image/jpeg'));
    expect(second.coverUrl).not.toBe(first.coverUrl);
    // The after-commit delete runs once the connection is back in the pool.
    await expect.poll(() => filesOf(event.id)).toEqual([path.basename(second.coverUrl ?? '')]);
  });

  it('refuses bytes that are not an image, and an image that claims another type: 400 UNSUPPORTED_IMAGE, nothing stored', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const text = await upload(organiser, event.id, Buffer.from('<script>alert(1)</script>'), 'image/png');
    expect(text.status).toBe(400);
    expect(codeOf(text)).toBe('UNSUPPORTED_IMAGE');
    const png = await photo(100, 100).png().toBuffer();
    const lying = await upload(organiser, event.id, png, 'image/jpeg');
    expect(lying.status).toBe(400);
    expect(codeOf(lying)).toBe('UNSUPPORTED_IMAGE');
    // A GIF is an image, but not one of the three; no Content-Type is no claim.
    const gif = await upload(organiser, event.id, await photo(10, 10).gif().toBuffer(), 'image/gif');
    expect(gif.status).toBe(400);
    expect(codeOf(gif)).toBe('UNSUPPORTED_IMAGE');
    const untyped = await upload(organiser, event.id, png, '');
    expect(codeOf(untyped)).toBe('UNSUPPORTED_IMAGE');
    // No body at all (a replay that lost its bytes): refused, never a 500.
    const empty = await upload(organiser, event.id, Buffer.alloc(0), 'image/jpeg');
    expect(empty.status).toBe(400);
    expect(codeOf(empty)).toBe('UNSUPPORTED_IMAGE');
    // Half a JPEG: its header reads, its pixels do not.
    const jpeg = await photo(1200, 800).jpeg().toBuffer();
    const truncated = await upload(organiser, event.id, jpeg.subarray(0, 400), 'image/jpeg');
    expect(truncated.status).toBe(400);
    expect(codeOf(truncated)).toBe('UNSUPPORTED_IMAGE');
    expect(await filesOf(event.id)).toEqual([]);
    const [row] = await getDb().select({ coverName: events.coverName, version: events.version }).from(events).where(eq(events.id, event.id));
    expect(row).toEqual({ coverName: null, version: event.version });
  });

  it('refuses more than 5 MB with 413, before decoding anything', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0xff);
    const res = await upload(organiser, event.id, big, 'image/jpeg');
    expect(res.status).toBe(413);
    expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE');
  });

  it("is 404 for someone else's event and for an unknown one, storing nothing", async () => {
    const owner = await createOrganiser();
    const other = await createOrganiser();
    const event = await createdEvent(owner);
    const jpeg = await photo(200, 100).jpeg().toBuffer();
    expect((await upload(other, event.id, jpeg, 'image/jpeg')).status).toBe(404);
    expect((await upload(other, randomUUID(), jpeg, 'image/jpeg')).status).toBe(404);
    expect((await upload(other, 'not-a-uuid', jpeg, 'image/jpeg')).status).toBe(404);
    expect(await filesOf(event.id)).toEqual([]);
  });

  it('replays the stored answer for the same key and bytes, and refuses the same key with other bytes', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const key = randomUUID();
    const bytes = await photo(400, 300, '#282').jpeg().toBuffer();
    const first = await upload(organiser, event.id, bytes, 'image/jpeg', key);
    expect(first.status).toBe(200);
    const replay = await upload(organiser, event.id, bytes, 'image/jpeg', key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('x-idempotency-replay')).toBe('true');
    expect(eventOf(replay)).toEqual(eventOf(first));
    const other = await upload(organiser, event.id, await photo(400, 300, '#822').jpeg().toBuffer(), 'image/jpeg', key);
    expect(other.status).toBe(422);
    expect(codeOf(other)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((other.json as ErrorJson).error.details?.differingFields).toEqual(expect.arrayContaining(['/sha256']));
    const [row] = await getDb().select({ version: events.version }).from(events).where(eq(events.id, event.id));
    expect(row?.version).toBe(event.version + 1);
  });

  it('takes concurrent uploads of one image with one key once', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const key = randomUUID();
    const bytes = await photo(900, 600, '#456').jpeg().toBuffer();
    const answers = await Promise.all(Array.from({ length: 4 }, () => upload(organiser, event.id, bytes, 'image/jpeg', key)));
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 200 && a.headers.get('x-idempotency-stored') === 'true')).toHaveLength(1);
    const [row] = await getDb().select({ version: events.version }).from(events).where(eq(events.id, event.id));
    expect(row?.version).toBe(event.version + 1);
  });

  it('requires an Idempotency-Key', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const request = new Request(new URL(`/api/events/${event.id}/cover`, ORIGIN), {
      method: 'PUT',
      headers: { host: 'localhost:3000', cookie: organiser.cookie, 'content-type': 'image/jpeg' },
      body: await photo(10, 10).jpeg().toBuffer(),
    });
    const response = await putCover(request, { params: Promise.resolve({ id: event.id }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorJson).error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});

describe('DELETE /api/events/:id/cover', () => {
  it('removes the cover (coverUrl null), deletes its file after commit, and answers the same when there is none', async () => {
    const organiser = await createOrganiser();
    const event = await createdEvent(organiser);
    const set = eventOf(await upload(organiser, event.id, await photo(500, 500).jpeg().toBuffer(), 'image/jpeg'));
    const res = await call(deleteCover, 'DELETE', `/api/events/${event.id}/cover`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id } });
    expect(res.status).toBe(200);
    const removed = (res.json as { data: { event: EventJson } }).data.event;
    expect(removed.coverUrl).toBeNull();
    expect(removed.coverSize).toBeNull();
    expect(removed.version).toBe(set.version + 1);
    await expect.poll(() => filesOf(event.id)).toEqual([]);
    const again = await call(deleteCover, 'DELETE', `/api/events/${event.id}/cover`, { cookie: organiser.cookie, key: randomUUID(), params: { id: event.id } });
    expect(again.status).toBe(200);
    expect((again.json as { data: { event: EventJson } }).data.event.version).toBe(removed.version);
    const other = await createOrganiser();
    const foreign = await call(deleteCover, 'DELETE', `/api/events/${event.id}/cover`, { cookie: other.cookie, key: randomUUID(), params: { id: event.id } });
    expect(foreign.status).toBe(404);
  });

  it("deletes a draft's cover file with the draft", async () => {
    const organiser = await createOrganiser();
    const draft = await createdEvent(organiser, validEventBody({ status: 'draft' }));
    await upload(organiser, draft.id, await photo(300, 300).jpeg().toBuffer(), 'image/jpeg');
    expect(await filesOf(draft.id)).toHaveLength(1);
    const res = await call(deleteEvent, 'DELETE', `/api/events/${draft.id}`, { cookie: organiser.cookie, key: randomUUID(), params: { id: draft.id } });
    expect(res.status).toBe(204);
    await expect.poll(() => filesOf(draft.id)).toEqual([]);
  });
});
