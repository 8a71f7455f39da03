// Media kept as local files (lib/media/storage.ts: the embedded default, or any
// deployment without Supabase Storage): `/media/covers/<event>/<hash>.webp`. A
// name carries its content's hash, so the answer may be cached for a year.
// With Supabase Storage configured, media is served from there and this is 404.
import { localMedia, MEDIA_CACHE_CONTROL } from '@/lib/media/storage';

const TYPES: Record<string, string> = { webp: 'image/webp', png: 'image/png', jpg: 'image/jpeg' };

export async function GET(_request: Request, context: { params: Promise<{ name: string[] }> }): Promise<Response> {
  const { name } = await context.params;
  const path = name.join('/');
  const store = localMedia();
  const bytes = store ? await store.read(path) : null;
  if (!bytes) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      'Content-Type': TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
      'Content-Length': String(bytes.byteLength),
      'Cache-Control': MEDIA_CACHE_CONTROL,
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
