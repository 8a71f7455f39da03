// Kept apart from embedded.ts so the app's pool can recognise the embedded
// database without loading PGlite itself.

/** Marks the embedded database's URL, so lib/db/pool.ts knows to use one connection. */
export const EMBEDDED_APPLICATION_NAME = 'embedded-pglite';

export function isEmbeddedUrl(url: string): boolean {
  try {
    return new URL(url).searchParams.get('application_name') === EMBEDDED_APPLICATION_NAME;
  } catch {
    return false;
  }
}
