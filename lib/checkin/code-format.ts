// The ticket code's layout, shared by the server (lib/checkin/code.ts, node:crypto)
// and the scanner in the browser (@noble/ed25519): base64url of the
// registration's 16 id bytes followed by the 64-byte Ed25519 signature of
// `checkin:v1:<event id>:<registration id>`. The event is signed but not
// carried: a code is valid only for the event it was issued for. Imports
// nothing of the app: browser code shares it.

export const CODE_BYTES = 16 + 64;
/** base64url of 80 bytes, no padding. */
export const CODE_PATTERN = /^[A-Za-z0-9_-]{107}$/;

export type ParsedCode = { registrationId: string; signature: Uint8Array };

export function signedMessage(eventId: string, registrationId: string): Uint8Array {
  return new TextEncoder().encode(`checkin:v1:${eventId.toLowerCase()}:${registrationId.toLowerCase()}`);
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(padded);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function uuidOf(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

/** The registration id and signature of a well-formed code (its signature not yet checked); null otherwise. */
export function parseCode(code: string): ParsedCode | null {
  const trimmed = code.trim();
  if (!CODE_PATTERN.test(trimmed)) return null;
  const bytes = base64UrlDecode(trimmed);
  if (!bytes || bytes.length !== CODE_BYTES) return null;
  return { registrationId: uuidOf(bytes.subarray(0, 16)), signature: bytes.slice(16) };
}

export function joinCode(registrationId: string, signature: Uint8Array): string {
  const bytes = new Uint8Array(CODE_BYTES);
  bytes.set(uuidBytes(registrationId), 0);
  bytes.set(signature, 16);
  return base64UrlEncode(bytes);
}

/** What the snapshot lists a ticket by: hex SHA-256 of its code (the code itself never leaves the ticket). */
export async function codeHashOf(code: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(code.trim()));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
