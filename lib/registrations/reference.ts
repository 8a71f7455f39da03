// A ticket's reference (docs/api.md, "Door check-in"): 8 characters of
// Crockford base32 that a guest reads out and a door person types when the QR
// code cannot be scanned. Unique within its event (the unique index
// registrations_event_reference_key). Browser-safe: the scanner normalises
// what is typed with the same rules as the server.

/** Crockford's alphabet: digits and letters without I, L, O and U. */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 8;
export const REFERENCE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{8}$/;

/** A new reference: 40 bits of crypto random, 5 bits a character (8 × 5 = 5 bytes exactly, no bias). */
export function newReference(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  // 40 bits fit a number exactly (2^53).
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  let reference = '';
  for (let i = 0; i < REFERENCE_LENGTH; i += 1) {
    reference = REFERENCE_ALPHABET.charAt(value % 32) + reference;
    value = Math.floor(value / 32);
  }
  return reference;
}

/**
 * What was typed, as a reference: any case, spaces and dashes ignored, and the
 * letters Crockford reads as digits (O as 0, I and L as 1); null when the rest
 * is not 8 characters of the alphabet (a signed code, a typo with a U, …).
 */
export function normaliseReference(typed: string): string | null {
  const compact = typed
    .toUpperCase()
    .replace(/[\s-]+/g, '')
    .replaceAll('O', '0')
    .replace(/[IL]/g, '1');
  return REFERENCE_PATTERN.test(compact) ? compact : null;
}

/** As printed under a QR code: two groups of four, easier to read out ("7KQ2-M9XD"). */
export function formatReference(reference: string): string {
  return `${reference.slice(0, 4)}-${reference.slice(4)}`;
}
