// The client's address for rate limits (docs/api.md, "Abuse limits and headers"): the TCP peer,
// unless the deployment says it sits behind proxies. TRUST_PROXY_HOPS = N
// (default 0) means the N nearest hops are our own proxies, each appending the
// address it received from to X-Forwarded-For; the client is then the N-th
// entry from the right of [...X-Forwarded-For, peer]. Entries further left are
// whatever the client wrote and are never read. X-Real-IP is never read.
// Edge-safe: no Node modules here (peer-address.ts writes the header).
import { processSingleton } from '@/lib/process-singleton';

/** Written by peer-address.ts on every request; any client-sent value is overwritten. */
export const PEER_HEADER = 'x-event-app-peer';
/** The address of a request whose peer is not known (no Node server, or forged header). */
export const UNKNOWN_ADDRESS = 'unknown';
const MAX_FORWARDED_ENTRIES = 32;
const MAX_ADDRESS_LENGTH = 64;

type Slot = { secret?: string };

export function peerSecretSlot(): Slot {
  return processSingleton<Slot>('peer-address', () => ({}));
}

export function trustedProxyHops(): number {
  const raw = process.env.TRUST_PROXY_HOPS;
  const hops = raw ? Number(raw) : 0;
  return Number.isInteger(hops) && hops >= 0 && hops <= 10 ? hops : 0;
}

/** The socket's address, if the Node server recorded it for this request. */
export function peerAddress(request: Request): string | null {
  const secret = peerSecretSlot().secret;
  const value = request.headers.get(PEER_HEADER);
  if (!secret || !value?.startsWith(`${secret} `)) return null;
  return normalise(value.slice(secret.length + 1));
}

function normalise(address: string): string | null {
  let a = address.trim();
  if (a.startsWith('[') && a.includes(']')) a = a.slice(1, a.indexOf(']'));
  if (a.toLowerCase().startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  if (!a) return null;
  return a.slice(0, MAX_ADDRESS_LENGTH);
}

/**
 * The address a rate limit counts this request under. Pure in its inputs, so
 * it is tested directly: `hops` from TRUST_PROXY_HOPS, `peer` from the socket.
 */
export function resolveClientAddress(forwardedFor: string | null, peer: string | null, hops: number): string {
  const chain: string[] = [];
  if (hops > 0 && forwardedFor) {
    // Only the last entries can matter; a huge header is cut before splitting further.
    const entries = forwardedFor.slice(-MAX_FORWARDED_ENTRIES * (MAX_ADDRESS_LENGTH + 2)).split(',');
    for (const entry of entries.slice(-MAX_FORWARDED_ENTRIES)) chain.push(normalise(entry) ?? UNKNOWN_ADDRESS);
  }
  chain.push((peer && normalise(peer)) || UNKNOWN_ADDRESS);
  // N hops from the right; with fewer entries than hops, the furthest one there is.
  return chain[Math.max(0, chain.length - 1 - hops)] ?? UNKNOWN_ADDRESS;
}

export function clientAddress(request: Request): string {
  return resolveClientAddress(request.headers.get('x-forwarded-for'), peerAddress(request), trustedProxyHops());
}
