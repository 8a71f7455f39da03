export const BODY_LIMIT_BYTES = 64 * 1024;

/** The body as text, or null once it passes the limit (read no further than that). */
export async function readBodyText(request: Request, limit: number): Promise<string | null> {
  const bytes = await readBodyBytes(request, limit);
  return bytes === null ? null : bytes.toString('utf8');
}

/** The body's bytes, or null once it passes the limit (read no further than that). */
export async function readBodyBytes(request: Request, limit: number): Promise<Buffer | null> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
