// Where media (event covers) are kept, behind one small adapter: `put`,
// `delete`, `url`. Names carry a hash of their content, so a name is written
// once and never changes what it serves: both stores let caches keep a file
// for a year. Supabase Storage when the project URL and the service-role key
// are configured (production); else local files under MEDIA_DIR, served by the
// app's own /media/… route (app/media/[...name]/route.ts): the embedded
// default and any single-machine `npm start`.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '@/lib/config';
import type { WebSocketLikeConstructor } from '@supabase/supabase-js';

export type MediaStorage = {
  put(name: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** Removes the file; a name that is not there is no error. */
  delete(name: string): Promise<void>;
  /** Where a browser fetches it: an absolute URL, or a path on the app's origin. */
  url(name: string): string;
};

export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const CACHE_SECONDS = '31536000';

/** A stored name: folders and files of lower-case letters, digits, `-` and `.`, never `..`. */
const NAME = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\.(webp|png|jpg)$/;

export function isMediaName(name: string): boolean {
  return name.length <= 200 && NAME.test(name);
}

function checkedName(name: string): string {
  if (!isMediaName(name)) throw new Error(`media: not a media name: ${JSON.stringify(name)}`);
  return name;
}

/** Local files: written to a temporary name and renamed, so a reader never sees half a file. */
export function localMediaStorage(dir: string): MediaStorage & { read(name: string): Promise<Buffer | null> } {
  const root = path.resolve(dir);
  const fileOf = (name: string) => path.join(root, checkedName(name));
  return {
    async put(name, bytes) {
      const file = fileOf(name);
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
    },
    async delete(name) {
      await rm(fileOf(name), { force: true });
    },
    url: (name) => `/media/${checkedName(name)}`,
    async read(name) {
      if (!isMediaName(name)) return null;
      return readFile(fileOf(name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'EISDIR') return null;
        throw error;
      });
    },
  };
}

/** Supabase Storage, public bucket, written with the service-role key. Cannot run here: no Supabase project in tests. */
function supabaseMediaStorage(projectUrl: string, serviceKey: string, bucket: string): MediaStorage {
  const base = projectUrl.replace(/\/$/, '');
  const files = async () => {
    const { createClient } = await import('@supabase/supabase-js');
    const client = createClient(base, serviceKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      // Storage only: no Realtime channel is ever opened (lib/auth/supabase-provider.ts says why it must not be built).
      realtime: { transport: noRealtime },
    });
    return client.storage.from(bucket);
  };
  return {
    async put(name, bytes, contentType) {
      const { error } = await (await files()).upload(checkedName(name), bytes, { contentType, cacheControl: CACHE_SECONDS, upsert: true });
      if (error) throw new Error(`media: upload failed: ${error.message}`);
    },
    async delete(name) {
      const { error } = await (await files()).remove([checkedName(name)]);
      if (error) throw new Error(`media: delete failed: ${error.message}`);
    },
    url: (name) => `${base}/storage/v1/object/public/${encodeURIComponent(bucket)}/${checkedName(name)}`,
  };
}

const noRealtime = function noRealtime(): never {
  throw new Error('Supabase Realtime is not used by this app');
} as unknown as WebSocketLikeConstructor;

/** Which store this deployment uses: Supabase Storage when configured, else local files. */
export function mediaStorageKind(): 'supabase' | 'local' {
  const c = config();
  return c.NEXT_PUBLIC_SUPABASE_URL && c.SUPABASE_SERVICE_ROLE_KEY ? 'supabase' : 'local';
}

/** The deployment's store: Supabase Storage when configured, else local files under MEDIA_DIR. */
export function mediaStorage(): MediaStorage {
  const c = config();
  return c.NEXT_PUBLIC_SUPABASE_URL && c.SUPABASE_SERVICE_ROLE_KEY
    ? supabaseMediaStorage(c.NEXT_PUBLIC_SUPABASE_URL, c.SUPABASE_SERVICE_ROLE_KEY, c.MEDIA_BUCKET)
    : localMediaStorage(c.MEDIA_DIR);
}

/** The local store, for the app's /media/… route; null when the deployment keeps media in Supabase Storage. */
export function localMedia(): ReturnType<typeof localMediaStorage> | null {
  return mediaStorageKind() === 'local' ? localMediaStorage(config().MEDIA_DIR) : null;
}
