import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMediaName, localMediaStorage } from './storage';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'media-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the local media store', () => {
  it('takes only plain lower-case names: no traversal, no absolute paths, no other extensions', () => {
    expect(isMediaName('covers/0b7c/0123456789abcdef0123456789abcdef.webp')).toBe(true);
    for (const name of ['../etc/passwd.webp', 'covers/../../x.webp', '/abs/x.webp', 'covers//x.webp', 'Covers/x.webp', 'covers/x.svg', 'covers/x.webp/', '']) {
      expect(isMediaName(name), name).toBe(false);
    }
  });

  it('puts, reads, serves at /media/… and deletes a file; a missing or malformed name reads as null', async () => {
    const store = localMediaStorage(dir);
    const name = 'covers/e1/abc.webp';
    await store.put(name, Buffer.from('bytes'), 'image/webp');
    expect((await store.read(name))?.toString()).toBe('bytes');
    expect(store.url(name)).toBe('/media/covers/e1/abc.webp');
    // Written through a temporary name and renamed: nothing else is left beside it.
    expect(await readdir(path.join(dir, 'covers/e1'))).toEqual(['abc.webp']);
    await store.delete(name);
    await store.delete(name);
    expect(await store.read(name)).toBeNull();
    expect(await store.read('../outside.webp')).toBeNull();
    expect(() => store.url('../x.webp')).toThrow();
  });
});
