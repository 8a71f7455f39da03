// Where a webhook may go (docs/api.md, "Integrations"): https to a host whose
// every address is public unicast. Private, loopback, link-local, unique-local,
// CGNAT, multicast, reserved and the IPv6 spellings of IPv4 (mapped, NAT64,
// 6to4, Teredo) are refused, by ipaddr.js's ranges. Checked when an endpoint
// is created and again at every delivery, on the addresses the delivery then
// connects to (lib/webhooks/send.ts pins them), so a name that resolves to a
// private address later (DNS rebinding) is refused too.
// WEBHOOKS_ALLOW_PRIVATE=1 (tests, local receivers) allows them, over http too.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type TargetProblem = 'webhookUrlHttps' | 'webhookUrlPrivate' | 'webhookUrlUnresolved';

export class TargetRefused extends Error {
  constructor(readonly problem: TargetProblem, detail: string) {
    super(detail);
    this.name = 'TargetRefused';
  }
}

/** Public unicast only; an IPv4-mapped IPv6 address is judged as its IPv4 address. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export type Target = { url: URL; address: string; family: 4 | 6 };

/**
 * The URL checked and resolved: the address to connect to (the first of the
 * host's, every one of which was checked). Throws TargetRefused.
 */
export async function resolveTarget(raw: string, allowPrivate: boolean): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefused('webhookUrlHttps', 'not a URL');
  }
  const schemes = allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol) || url.username || url.password) throw new TargetRefused('webhookUrlHttps', `scheme ${url.protocol} refused`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new TargetRefused('webhookUrlUnresolved', `${host} does not resolve`);
    }
  }
  const first = addresses[0];
  if (!first) throw new TargetRefused('webhookUrlUnresolved', `${host} has no address`);
  if (!allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) throw new TargetRefused('webhookUrlPrivate', `${host}: not a public address`); // never the address itself: messages reach logs
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
